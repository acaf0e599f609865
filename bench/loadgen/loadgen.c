/*
 * loadgen — the benchmark's compiled load generator.
 *
 * Python's client saturates a core long before a broker does, so every
 * throughput and latency scenario is driven from here instead. It is linked
 * against the librdkafka that the confluent-kafka wheel ships (current
 * librdkafka; Tansu refuses Debian's 2.0.2), so both brokers see the same
 * client with the same settings. Each run prints one JSON object on stdout,
 * including the process's own CPU use, so the harness can tell when the
 * generator rather than the broker was the limit.
 *
 *   loadgen produce  --bootstrap H:P --topic T [--seconds S | --total-bytes N]
 *                    [--value-bytes B] [--schema-id ID] [--linger-ms L] [--acks all] [--producers N]
 *   loadgen latency  --bootstrap H:P --topic T --partitions N --rate R --seconds S
 *                    [--value-bytes B] [--schema-id ID]
 *   loadgen consume  --bootstrap H:P --topic T --partitions N
 *
 * With --schema-id every value is a valid Confluent-framed Avro record of the
 * schema {"type":"record","name":"BenchValue","fields":[{"name":"data","type":"bytes"}]}
 * and exactly --value-bytes long, so the same bytes pass broker-side validation.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>

static const char *opt_bootstrap = "127.0.0.1:9092";
static const char *opt_topic = "bench";
static const char *opt_acks = "all";
static double opt_seconds = 5;
static long long opt_total_bytes = 0;
static int opt_value_bytes = 100;
static int opt_schema_id = -1;
static int opt_linger_ms = 5;
static int opt_partitions = 1;
static int opt_producers = 1;
static int opt_rate = 10000;
static double opt_warmup = 1.0;

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static double cpu_s(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static void die(const char *what, const char *why) {
    fprintf(stderr, "loadgen: %s: %s\n", what, why);
    exit(1);
}

static void set(rd_kafka_conf_t *conf, const char *key, const char *value) {
    char err[512];
    if (rd_kafka_conf_set(conf, key, value, err, sizeof err) != RD_KAFKA_CONF_OK) die(key, err);
}

/* Fills value with a Confluent-framed Avro record (or plain bytes) of exactly len bytes.
 * Returns the offset where the payload's free bytes start (where a timestamp may go). */
static size_t make_value(unsigned char *value, size_t len) {
    for (size_t i = 0; i < len; i++) value[i] = (unsigned char)('a' + i % 26);
    if (opt_schema_id < 0) return 0;
    /* magic 0, 4-byte big-endian schema id, then the record's one field: zigzag varint length + bytes. */
    value[0] = 0;
    value[1] = (unsigned char)(opt_schema_id >> 24);
    value[2] = (unsigned char)(opt_schema_id >> 16);
    value[3] = (unsigned char)(opt_schema_id >> 8);
    value[4] = (unsigned char)opt_schema_id;
    for (size_t varint_len = 1; varint_len <= 3; varint_len++) {
        long long n = (long long)len - 5 - (long long)varint_len;
        if (n < 0) die("--value-bytes", "too small for the Avro framing");
        unsigned long long z = (unsigned long long)n << 1; /* zigzag of a non-negative number */
        unsigned char buf[10];
        size_t k = 0;
        do {
            unsigned char b = z & 0x7f;
            z >>= 7;
            buf[k++] = z ? (b | 0x80) : b;
        } while (z);
        if (k == varint_len) {
            memcpy(value + 5, buf, k);
            return 5 + k;
        }
    }
    die("--value-bytes", "too large");
    return 0;
}

/* ---------- produce ---------- */

static long long delivered_ok, delivered_err;
static char first_error[256];
static double last_delivery;

static void dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
    (void)rk;
    (void)opaque;
    if (m->err) {
        /* Atomic: with --producers every client's poll calls this from its own thread. */
        if (__atomic_fetch_add(&delivered_err, 1, __ATOMIC_RELAXED) == 0)
            snprintf(first_error, sizeof first_error, "%s", rd_kafka_err2str(m->err));
    } else {
        delivered_ok++;
    }
    last_delivery = now_s();
}

/* only_errors: successful deliveries are counted from the queue draining, not one callback
 * each (throughput runs; the latency run times every message itself). */
static rd_kafka_t *make_producer(int only_errors) {
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    char buf[32];
    if (only_errors) set(conf, "delivery.report.only.error", "true");
    set(conf, "bootstrap.servers", opt_bootstrap);
    set(conf, "acks", opt_acks);
    snprintf(buf, sizeof buf, "%d", opt_linger_ms);
    set(conf, "linger.ms", buf);
    set(conf, "queue.buffering.max.messages", "1000000");
    set(conf, "queue.buffering.max.kbytes", "65536");
    set(conf, "compression.type", "none");
    rd_kafka_conf_set_dr_msg_cb(conf, dr_cb);
    char err[512];
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    if (!rk) die("rd_kafka_new", err);
    return rk;
}

/* Returns the topic's partition count. */
static int wait_for_metadata(rd_kafka_t *rk, rd_kafka_topic_t *rkt) {
    const struct rd_kafka_metadata *md;
    for (int i = 0; i < 100; i++) {
        if (rd_kafka_metadata(rk, 0, rkt, &md, 5000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
            int partitions = md->topic_cnt == 1 && md->topics[0].err == 0 ? md->topics[0].partition_cnt : 0;
            rd_kafka_metadata_destroy(md);
            if (partitions > 0) return partitions;
        }
        usleep(100000);
    }
    die("metadata", "topic not available");
    return 0;
}

static int produce_one(rd_kafka_t *rk, rd_kafka_topic_t *rkt, unsigned char *value) {
    for (;;) {
        if (rd_kafka_produce(rkt, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY, value, (size_t)opt_value_bytes, NULL, 0, NULL) == 0)
            return 0;
        if (rd_kafka_last_error() != RD_KAFKA_RESP_ERR__QUEUE_FULL) die("produce", rd_kafka_err2str(rd_kafka_last_error()));
        rd_kafka_poll(rk, 1);
    }
}

/* Enqueues all of msgs (one partition's chunk), polling while librdkafka's queue is full. */
static void produce_chunk(rd_kafka_t *rk, rd_kafka_topic_t *rkt, int32_t partition, rd_kafka_message_t *msgs, int count) {
    while (count > 0) {
        int accepted = rd_kafka_produce_batch(rkt, partition, 0, msgs, count);
        if (accepted == count) return;
        /* The rejected ones are the tail; anything but a full queue is fatal. */
        for (int i = 0; i < count; i++)
            if (msgs[i].err && msgs[i].err != RD_KAFKA_RESP_ERR__QUEUE_FULL) die("produce", rd_kafka_err2str(msgs[i].err));
        int first_rejected = 0;
        while (first_rejected < count && !msgs[first_rejected].err) first_rejected++;
        msgs += first_rejected;
        count -= first_rejected;
        for (int i = 0; i < count; i++) msgs[i].err = 0;
        rd_kafka_poll(rk, 1);
    }
}

/* Throughput: the same value, enqueued CHUNK messages at a time per partition, partitions in
 * turn, by --producers clients at once (each its own librdkafka instance and connection).
 * librdkafka's per-message costs are what a real producer pays too, but the generator
 * shares two cores with the broker under test, so it avoids the avoidable ones: the value is
 * not copied per message (it never changes), messages are enqueued in chunks (one queue lock
 * each) and successes need no callback each. One client serializes every request on its
 * one broker thread, which saturated a core before a fast broker did; two clients do not. */
#define CHUNK 1000
struct producer_run {
    rd_kafka_t *rk;
    rd_kafka_topic_t *rkt;
    int partitions, first_partition;
    const unsigned char *value;
    long long limit; /* messages for this client, or -1 for until `stop` */
    double stop;
    long long sent;
    double drained; /* when the last message was acknowledged */
};

static void *producer_thread(void *arg) {
    struct producer_run *run = arg;
    rd_kafka_message_t *msgs = calloc(CHUNK, sizeof *msgs);
    int32_t partition = run->first_partition % run->partitions;
    while (run->limit < 0 ? now_s() < run->stop : run->sent < run->limit) {
        int count = run->limit < 0 || run->limit - run->sent > CHUNK ? CHUNK : (int)(run->limit - run->sent);
        for (int i = 0; i < count; i++) msgs[i] = (rd_kafka_message_t){.payload = (void *)run->value, .len = (size_t)opt_value_bytes};
        produce_chunk(run->rk, run->rkt, partition, msgs, count);
        run->sent += count;
        partition = (partition + 1) % run->partitions;
        rd_kafka_poll(run->rk, 0);
    }
    while (rd_kafka_outq_len(run->rk) > 0) rd_kafka_poll(run->rk, 1);
    run->drained = now_s();
    free(msgs);
    return NULL;
}

static int cmd_produce(void) {
    unsigned char *value = malloc((size_t)opt_value_bytes);
    make_value(value, (size_t)opt_value_bytes);
    struct producer_run *runs = calloc((size_t)opt_producers, sizeof *runs);
    pthread_t *threads = calloc((size_t)opt_producers, sizeof *threads);
    long long limit = opt_total_bytes > 0 ? opt_total_bytes / opt_value_bytes : -1;
    for (int i = 0; i < opt_producers; i++) {
        runs[i].rk = make_producer(1);
        runs[i].rkt = rd_kafka_topic_new(runs[i].rk, opt_topic, NULL);
        runs[i].partitions = wait_for_metadata(runs[i].rk, runs[i].rkt);
        runs[i].first_partition = i;
        runs[i].value = value;
        runs[i].limit = limit < 0 ? -1 : limit / opt_producers + (i < limit % opt_producers);
    }
    double cpu0 = cpu_s(), t0 = now_s();
    for (int i = 0; i < opt_producers; i++) {
        runs[i].stop = t0 + opt_seconds;
        pthread_create(&threads[i], NULL, producer_thread, &runs[i]);
    }
    long long sent = 0;
    last_delivery = t0;
    for (int i = 0; i < opt_producers; i++) {
        pthread_join(threads[i], NULL);
        sent += runs[i].sent;
        if (runs[i].drained > last_delivery) last_delivery = runs[i].drained;
    }
    long long errors = __atomic_load_n(&delivered_err, __ATOMIC_RELAXED);
    delivered_ok = sent - errors;
    double elapsed = last_delivery - t0, cpu = cpu_s() - cpu0;
    printf("{\"mode\":\"produce\",\"topic\":\"%s\",\"value_bytes\":%d,\"producers\":%d,\"sent\":%lld,\"delivered\":%lld,\"errors\":%lld,"
           "\"first_error\":\"%s\",\"seconds\":%.4f,\"msgs_per_s\":%.1f,\"mb_per_s\":%.3f,\"cpu_cores\":%.3f}\n",
           opt_topic, opt_value_bytes, opt_producers, sent, delivered_ok, errors, first_error, elapsed,
           delivered_ok / elapsed, delivered_ok * (double)opt_value_bytes / elapsed / 1e6, cpu / (now_s() - t0));
    for (int i = 0; i < opt_producers; i++) {
        rd_kafka_topic_destroy(runs[i].rkt);
        rd_kafka_destroy(runs[i].rk);
    }
    free(threads);
    free(runs);
    free(value);
    return errors ? 2 : 0;
}

/* ---------- consumer helpers ---------- */

static rd_kafka_t *make_consumer(const char *group) {
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    set(conf, "bootstrap.servers", opt_bootstrap);
    set(conf, "group.id", group);
    set(conf, "enable.auto.commit", "false");
    set(conf, "enable.partition.eof", "true");
    char err[512];
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
    if (!rk) die("rd_kafka_new", err);
    rd_kafka_poll_set_consumer(rk);
    return rk;
}

static void assign_all(rd_kafka_t *rk, int64_t offset) {
    rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(opt_partitions);
    for (int p = 0; p < opt_partitions; p++) rd_kafka_topic_partition_list_add(list, opt_topic, p)->offset = offset;
    rd_kafka_resp_err_t err = rd_kafka_assign(rk, list);
    if (err) die("assign", rd_kafka_err2str(err));
    rd_kafka_topic_partition_list_destroy(list);
}

/* ---------- consume ---------- */

static int cmd_consume(void) {
    rd_kafka_t *rk = make_consumer("loadgen-consume");
    assign_all(rk, RD_KAFKA_OFFSET_BEGINNING);
    int *eof = calloc((size_t)opt_partitions, sizeof(int));
    int eofs = 0;
    long long msgs = 0, bytes = 0;
    double cpu0 = cpu_s(), t0 = now_s(), first = 0, last = 0, deadline = t0 + 600;
    while (eofs < opt_partitions && now_s() < deadline) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 100);
        if (!m) continue;
        if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
            if (m->partition >= 0 && m->partition < opt_partitions && !eof[m->partition]) {
                eof[m->partition] = 1;
                eofs++;
            }
        } else if (m->err) {
            die("consume", rd_kafka_message_errstr(m));
        } else {
            if (!msgs) first = now_s();
            msgs++;
            bytes += (long long)m->len;
            last = now_s();
        }
        rd_kafka_message_destroy(m);
    }
    double elapsed = last - first, cpu = cpu_s() - cpu0;
    if (elapsed <= 0) elapsed = 1e-9;
    printf("{\"mode\":\"consume\",\"topic\":\"%s\",\"messages\":%lld,\"bytes\":%lld,\"seconds\":%.4f,"
           "\"msgs_per_s\":%.1f,\"mb_per_s\":%.3f,\"cpu_cores\":%.3f,\"complete\":%s}\n",
           opt_topic, msgs, bytes, elapsed, msgs / elapsed, bytes / elapsed / 1e6, cpu / (now_s() - t0),
           eofs == opt_partitions ? "true" : "false");
    rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);
    return eofs == opt_partitions ? 0 : 2;
}

/* ---------- latency ---------- */

static size_t stamp_at;
static volatile int consumer_stop, consumer_ready;
static uint64_t *latencies;
static size_t latency_count, latency_cap;
static uint64_t measure_from_ns;

static void *latency_consumer(void *arg) {
    rd_kafka_t *rk = arg;
    while (!consumer_stop) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 50);
        if (!m) continue;
        if (!m->err && m->len >= stamp_at + 8) {
            uint64_t sent;
            memcpy(&sent, (const unsigned char *)m->payload + stamp_at, 8);
            uint64_t now = now_ns();
            if (sent >= measure_from_ns && latency_count < latency_cap) latencies[latency_count++] = now - sent;
        } else if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
            consumer_ready = 1;
        }
        rd_kafka_message_destroy(m);
    }
    return NULL;
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static double pct(double p) {
    if (!latency_count) return -1;
    size_t i = (size_t)(p * (double)(latency_count - 1) + 0.5);
    return latencies[i] / 1e6;
}

static int cmd_latency(void) {
    rd_kafka_t *consumer = make_consumer("loadgen-latency");
    assign_all(consumer, RD_KAFKA_OFFSET_END);
    latency_cap = (size_t)(opt_rate * (opt_seconds + 5)) + 1024;
    latencies = malloc(latency_cap * sizeof(uint64_t));
    measure_from_ns = UINT64_MAX;
    pthread_t thread;
    pthread_create(&thread, NULL, latency_consumer, consumer);
    /* Every partition reports EOF once the consumer has fetched at the end: only then can it see what follows. */
    for (double until = now_s() + 30; !consumer_ready && now_s() < until;) usleep(10000);
    usleep(500000);

    rd_kafka_t *rk = make_producer(0);
    rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, opt_topic, NULL);
    wait_for_metadata(rk, rkt);
    unsigned char *value = malloc((size_t)opt_value_bytes);
    stamp_at = make_value(value, (size_t)opt_value_bytes);
    if ((size_t)opt_value_bytes < stamp_at + 8) die("--value-bytes", "too small to carry a timestamp");

    double cpu0 = cpu_s();
    uint64_t t0 = now_ns();
    measure_from_ns = t0 + (uint64_t)(opt_warmup * 1e9);
    uint64_t interval = (uint64_t)(1e9 / opt_rate);
    long long total = (long long)(opt_rate * opt_seconds);
    for (long long i = 0; i < total; i++) {
        uint64_t due = t0 + (uint64_t)i * interval;
        for (uint64_t n = now_ns(); n < due; n = now_ns()) {
            if (due - n > 200000) {
                rd_kafka_poll(rk, 0);
                struct timespec ts = {0, (long)(due - n - 100000)};
                nanosleep(&ts, NULL);
            }
        }
        uint64_t stamp = now_ns();
        memcpy(value + stamp_at, &stamp, 8);
        produce_one(rk, rkt, value);
    }
    double produce_elapsed = (now_ns() - t0) / 1e9;
    while (rd_kafka_outq_len(rk) > 0) rd_kafka_poll(rk, 10);
    /* Give the consumer time to see the tail. */
    size_t expected = (size_t)(total - (long long)(opt_rate * opt_warmup));
    for (double until = now_s() + 10; latency_count < expected && now_s() < until;) usleep(10000);
    consumer_stop = 1;
    pthread_join(thread, NULL);
    double cpu = cpu_s() - cpu0;
    qsort(latencies, latency_count, sizeof(uint64_t), cmp_u64);
    printf("{\"mode\":\"latency\",\"topic\":\"%s\",\"rate\":%d,\"achieved_rate\":%.1f,\"value_bytes\":%d,\"samples\":%zu,"
           "\"expected\":%zu,\"errors\":%lld,\"p50_ms\":%.3f,\"p95_ms\":%.3f,\"p99_ms\":%.3f,\"p999_ms\":%.3f,\"max_ms\":%.3f,"
           "\"cpu_cores\":%.3f}\n",
           opt_topic, opt_rate, total / produce_elapsed, opt_value_bytes, latency_count, expected, delivered_err,
           pct(0.5), pct(0.95), pct(0.99), pct(0.999), latency_count ? latencies[latency_count - 1] / 1e6 : -1,
           cpu / ((now_ns() - t0) / 1e9));
    rd_kafka_topic_destroy(rkt);
    rd_kafka_destroy(rk);
    rd_kafka_consumer_close(consumer);
    rd_kafka_destroy(consumer);
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: loadgen produce|latency|consume [flags] (see the comment at the top of loadgen.c)\n");
        return 1;
    }
    for (int i = 2; i < argc; i++) {
        const char *f = argv[i];
        if (i + 1 >= argc) die(f, "needs a value");
        const char *v = argv[++i];
        if (!strcmp(f, "--bootstrap")) opt_bootstrap = v;
        else if (!strcmp(f, "--topic")) opt_topic = v;
        else if (!strcmp(f, "--acks")) opt_acks = v;
        else if (!strcmp(f, "--seconds")) opt_seconds = atof(v);
        else if (!strcmp(f, "--total-bytes")) opt_total_bytes = atoll(v);
        else if (!strcmp(f, "--value-bytes")) opt_value_bytes = atoi(v);
        else if (!strcmp(f, "--schema-id")) opt_schema_id = atoi(v);
        else if (!strcmp(f, "--linger-ms")) opt_linger_ms = atoi(v);
        else if (!strcmp(f, "--partitions")) opt_partitions = atoi(v);
        else if (!strcmp(f, "--producers")) opt_producers = atoi(v);
        else if (!strcmp(f, "--rate")) opt_rate = atoi(v);
        else if (!strcmp(f, "--warmup")) opt_warmup = atof(v);
        else die(f, "unknown flag");
    }
    if (opt_value_bytes <= 0 || opt_partitions <= 0 || opt_rate <= 0 || opt_producers <= 0)
        die("flags", "sizes, partitions, producers and rate must be positive");
    fprintf(stderr, "loadgen: librdkafka %s\n", rd_kafka_version_str());
    if (!strcmp(argv[1], "produce")) return cmd_produce();
    if (!strcmp(argv[1], "latency")) return cmd_latency();
    if (!strcmp(argv[1], "consume")) return cmd_consume();
    die(argv[1], "unknown mode");
    return 1;
}
