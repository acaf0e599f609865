/*
 * sha256_pair — per-message cost of the audit chain's paired SHA-256 (Sources/CSHA256)
 * against OpenSSL's SHA256_Init/Update/Final, on one core with the data in cache: the
 * figures behind "Fourth round" in bench/results/improvements.md. Checks the digests
 * against OpenSSL first.
 *
 *   cc -O2 -I Sources/CSHA256/include -o /tmp/sha256_pair bench/audit/sha256_pair.c \
 *      Sources/CSHA256/CSHA256.c -lcrypto -Wno-deprecated-declarations && /tmp/sha256_pair
 */
#include "CSHA256.h"

#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void openssl_hash(const csha256_message *m, uint8_t *out) {
    SHA256_CTX c;
    SHA256_Init(&c);
    if (m->prefix_length) SHA256_Update(&c, m->prefix, m->prefix_length);
    SHA256_Update(&c, m->body, m->body_length);
    SHA256_Final(out, &c);
}

int main(void) {
    if (!csha256_available()) {
        puts("this CPU has no SHA extensions: the broker uses OpenSSL alone");
        return 0;
    }
    static uint8_t data[4096];
    for (size_t i = 0; i < sizeof data; i++) data[i] = (uint8_t)rand();
    const uint8_t prefix = 0x01;
    for (size_t a = 0; a < 300; a++) {
        for (size_t b = 0; b < 300; b += 7) {
            csha256_message m0 = { &prefix, a % 2, data + 5, a }, m1 = { &prefix, 1, data + 900, b };
            uint8_t o0[32], o1[32], r0[32], r1[32];
            csha256_hash2(&m0, &m1, o0, o1);
            openssl_hash(&m0, r0);
            openssl_hash(&m1, r1);
            if (memcmp(o0, r0, 32) || memcmp(o1, r1, 32)) {
                printf("digest mismatch at lengths %zu and %zu\n", a, b);
                return 1;
            }
        }
    }
    const struct { const char *what; size_t prefix, length; } cases[] = {
        { "0x01 + 100-byte value", 1, 100 }, { "130-byte leaf preimage", 0, 130 }, { "0x01 + 1 KiB value", 1, 1024 },
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        const int n = cases[c].length > 500 ? 300000 : 2000000;
        csha256_message m0 = { &prefix, cases[c].prefix, data, cases[c].length };
        csha256_message m1 = { &prefix, cases[c].prefix, data + 2048, cases[c].length };
        uint8_t o0[32], o1[32];
        double t = now();
        for (int i = 0; i < n; i++) {
            openssl_hash(&m0, o0);
            openssl_hash(&m1, o1);
            data[i & 1023] ^= o0[0] ^ o1[0];  // keep the work observable
        }
        const double single = (now() - t) / n / 2 * 1e9;
        t = now();
        for (int i = 0; i < n; i++) {
            csha256_hash2(&m0, &m1, o0, o1);
            data[i & 1023] ^= o0[0] ^ o1[0];
        }
        const double paired = (now() - t) / n / 2 * 1e9;
        printf("%-24s OpenSSL %6.1f ns/message, paired %6.1f ns/message (%.2fx)\n", cases[c].what, single, paired, single / paired);
    }
    return 0;
}
