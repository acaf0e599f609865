#include "CCRC32C.h"

#include <string.h>

#if defined(__x86_64__)
#include <nmmintrin.h>
#include <pthread.h>

int ccrc32c_hardware_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("sse4.2") ? 1 : 0;
}

/* `crc32` has a latency of three cycles and a throughput of one per cycle, so one dependent
 * chain of it runs at a third of the core's speed. Long inputs are cut into three
 * consecutive blocks hashed side by side, one chain each, and the three states are joined:
 * the state after A || B is zeros(|B|, state after A) ^ (state after B from 0), because the
 * update is linear. zeros(n, x), the state after n zero bytes from state x, is itself linear
 * in x, so for the two block sizes used it is a table of the 32 bits' images, folded into
 * four byte-indexed tables. */
#define CRC_LONG 8192
#define CRC_SHORT 256

static uint32_t crc_long_table[4][256];
static uint32_t crc_short_table[4][256];
static pthread_once_t crc_tables_once = PTHREAD_ONCE_INIT;

__attribute__((target("sse4.2")))
static uint32_t crc_zeros(uint32_t state, size_t length) {
    uint64_t c = state;
    for (size_t i = 0; i < length; i += 8) c = _mm_crc32_u64(c, 0);
    return (uint32_t)c;
}

__attribute__((target("sse4.2")))
static void crc_fill_table(uint32_t table[4][256], size_t length) {
    uint32_t bit_images[32];
    for (int bit = 0; bit < 32; bit++) bit_images[bit] = crc_zeros((uint32_t)1 << bit, length);
    for (int k = 0; k < 4; k++) {
        for (int byte = 0; byte < 256; byte++) {
            uint32_t image = 0;
            for (int b = 0; b < 8; b++)
                if (byte & (1 << b)) image ^= bit_images[8 * k + b];
            table[k][byte] = image;
        }
    }
}

static void crc_fill_tables(void) {
    crc_fill_table(crc_long_table, CRC_LONG);
    crc_fill_table(crc_short_table, CRC_SHORT);
}

static inline uint32_t crc_shift(uint32_t table[4][256], uint32_t state) {
    return table[0][state & 0xff] ^ table[1][(state >> 8) & 0xff] ^ table[2][(state >> 16) & 0xff] ^ table[3][state >> 24];
}

static inline uint64_t load64(const unsigned char *p) {
    uint64_t word;
    memcpy(&word, p, 8);
    return word;
}

/* Hashes rounds of three consecutive `block`-byte blocks while at least one round is left. */
__attribute__((target("sse4.2"), always_inline))
static inline uint64_t crc_three_way(uint64_t c, const unsigned char **p, size_t *length, size_t block, uint32_t table[4][256]) {
    while (*length >= 3 * block) {
        const unsigned char *a = *p, *b = a + block, *d = b + block;
        uint64_t c1 = 0, c2 = 0;
        for (size_t i = 0; i < block; i += 8) {
            c = _mm_crc32_u64(c, load64(a + i));
            c1 = _mm_crc32_u64(c1, load64(b + i));
            c2 = _mm_crc32_u64(c2, load64(d + i));
        }
        c = crc_shift(table, crc_shift(table, (uint32_t)c) ^ (uint32_t)c1) ^ (uint32_t)c2;
        *p += 3 * block;
        *length -= 3 * block;
    }
    return c;
}

__attribute__((target("sse4.2")))
uint32_t ccrc32c_hardware_update(uint32_t crc, const void *bytes, size_t length) {
    const unsigned char *p = bytes;
    uint64_t c = (uint32_t)~crc;
    if (length >= 3 * CRC_SHORT) {
        pthread_once(&crc_tables_once, crc_fill_tables);
        c = crc_three_way(c, &p, &length, CRC_LONG, crc_long_table);
        c = crc_three_way(c, &p, &length, CRC_SHORT, crc_short_table);
    }
    for (; length >= 8; p += 8, length -= 8) c = _mm_crc32_u64(c, load64(p));
    uint32_t c32 = (uint32_t)c;
    for (; length > 0; p++, length--) c32 = _mm_crc32_u8(c32, *p);
    return ~c32;
}

#elif defined(__aarch64__) && defined(__linux__)
#include <arm_acle.h>
#include <sys/auxv.h>

#ifndef HWCAP_CRC32
#define HWCAP_CRC32 (1 << 7)
#endif

int ccrc32c_hardware_available(void) {
    return (getauxval(AT_HWCAP) & HWCAP_CRC32) ? 1 : 0;
}

__attribute__((target("crc")))
uint32_t ccrc32c_hardware_update(uint32_t crc, const void *bytes, size_t length) {
    const unsigned char *p = bytes;
    uint32_t c = ~crc;
    for (; length >= 8; p += 8, length -= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        c = __crc32cd(c, word);
    }
    for (; length > 0; p++, length--) c = __crc32cb(c, *p);
    return ~c;
}

#else

int ccrc32c_hardware_available(void) { return 0; }

uint32_t ccrc32c_hardware_update(uint32_t crc, const void *bytes, size_t length) {
    (void)bytes;
    (void)length;
    return crc;
}

#endif
