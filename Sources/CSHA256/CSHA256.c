// Two-way interleaved SHA-256 on the x86 SHA extensions (see include/CSHA256.h for why).
// The round and message-schedule steps are FIPS 180-4's, expressed with sha256rnds2,
// sha256msg1 and sha256msg2 as Intel documents them; state is kept in the ABEF/CDGH
// layout those instructions use.
#include "CSHA256.h"

#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>

#define CSHA256_TARGET __attribute__((target("sha,sse4.1,ssse3")))

// The 16 groups of four rounds must be unrolled: with the schedule words in registers the
// block runs about 1.6 times as fast as with them in a stack array.
#if defined(__clang__)
#define CSHA256_UNROLL _Pragma("clang loop unroll(full)")
#else
#define CSHA256_UNROLL _Pragma("GCC unroll 16")
#endif

static const uint32_t round_constants[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static const uint32_t initial_state[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

int csha256_available(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    const int sse41 = (ecx >> 19) & 1, ssse3 = (ecx >> 9) & 1;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
    const int sha = (ebx >> 29) & 1;
    return sse41 && ssse3 && sha;
}

// A message with its padded length: FIPS 180-4 appends 0x80, zeros and the bit length
// (8 bytes) to a multiple of 64 bytes.
typedef struct {
    const csha256_message *message;
    size_t total;   // prefix + body bytes
    size_t blocks;  // 64-byte blocks after padding
} padded_message;

static padded_message padded(const csha256_message *message) {
    const size_t total = message->prefix_length + message->body_length;
    padded_message result = { message, total, (total + 8) / 64 + 1 };
    return result;
}

// The padded message's block `index`: straight from `body` when the block lies inside it,
// otherwise assembled in `scratch` (prefix bytes, body bytes, 0x80, zeros, bit length).
static const uint8_t *block_at(const padded_message *m, size_t index, uint8_t scratch[64]) {
    const size_t start = index * 64, prefix = m->message->prefix_length;
    if (start >= prefix && start + 64 <= m->total) return m->message->body + (start - prefix);
    memset(scratch, 0, 64);
    if (start < prefix) {
        const size_t n = prefix - start < 64 ? prefix - start : 64;
        memcpy(scratch, m->message->prefix + start, n);
    }
    const size_t from = start > prefix ? start : prefix;
    const size_t to = start + 64 < m->total ? start + 64 : m->total;
    if (from < to) memcpy(scratch + (from - start), m->message->body + (from - prefix), to - from);
    if (m->total >= start && m->total < start + 64) scratch[m->total - start] = 0x80;
    if (index == m->blocks - 1) {
        const uint64_t bits = (uint64_t)m->total * 8;
        for (int i = 0; i < 8; i++) scratch[63 - i] = (uint8_t)(bits >> (8 * i));
    }
    return scratch;
}

// The eight state words as the instructions want them: ABEF in one register, CDGH in the other.
typedef struct {
    __m128i abef, cdgh;
} lanes;

CSHA256_TARGET static inline lanes load_state(const uint32_t state[8]) {
    __m128i cdab = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&state[0]), 0xB1);
    __m128i efgh = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&state[4]), 0x1B);
    lanes result = { _mm_alignr_epi8(cdab, efgh, 8), _mm_blend_epi16(efgh, cdab, 0xF0) };
    return result;
}

// The digest: the state words in A..H order, each big-endian (byte-swapped in registers
// rather than stored a byte at a time).
CSHA256_TARGET static inline void store_digest(lanes s, uint8_t *out) {
    const __m128i byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i feba = _mm_shuffle_epi32(s.abef, 0x1B);
    __m128i dchg = _mm_shuffle_epi32(s.cdgh, 0xB1);
    _mm_storeu_si128((__m128i *)out, _mm_shuffle_epi8(_mm_blend_epi16(feba, dchg, 0xF0), byte_swap));
    _mm_storeu_si128((__m128i *)(out + 16), _mm_shuffle_epi8(_mm_alignr_epi8(dchg, feba, 8), byte_swap));
}

// One 64-byte block of each of `count` messages (1 or 2, a constant after inlining). Per
// message this is the plain FIPS 180-4 compression; the messages' dependency chains share
// no data, so the core overlaps them.
CSHA256_TARGET static inline __attribute__((always_inline)) void compress(lanes *state, const uint8_t *const *blocks, const int count) {
    const __m128i byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    lanes s[2];
    __m128i w[2][4];  // per message, the last four groups of four schedule words
    for (int j = 0; j < count; j++) s[j] = state[j];
    CSHA256_UNROLL
    for (int group = 0; group < 16; group++) {
        const __m128i k = _mm_loadu_si128((const __m128i *)&round_constants[4 * group]);
        CSHA256_UNROLL
        for (int j = 0; j < count; j++) {
            __m128i m;
            if (group < 4) {
                m = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(blocks[j] + 16 * group)), byte_swap);
            } else {
                // W[t..t+3] from W[t-16..t-1]: msg1 adds sigma0, the add brings W[t-7], msg2 sigma1.
                __m128i t = _mm_sha256msg1_epu32(w[j][group & 3], w[j][(group + 1) & 3]);
                t = _mm_add_epi32(t, _mm_alignr_epi8(w[j][(group + 3) & 3], w[j][(group + 2) & 3], 4));
                m = _mm_sha256msg2_epu32(t, w[j][(group + 3) & 3]);
            }
            w[j][group & 3] = m;
            __m128i x = _mm_add_epi32(m, k);
            s[j].cdgh = _mm_sha256rnds2_epu32(s[j].cdgh, s[j].abef, x);
            x = _mm_shuffle_epi32(x, 0x0E);
            s[j].abef = _mm_sha256rnds2_epu32(s[j].abef, s[j].cdgh, x);
        }
        // An empty asm that reads and writes every message's state: clang otherwise schedules
        // all of one message's rounds before the other's, and the core can no longer overlap
        // them (GCC keeps them interleaved by itself).
        if (count == 2) __asm__("" : "+x"(s[0].abef), "+x"(s[1].abef));
    }
    for (int j = 0; j < count; j++) {
        state[j].abef = _mm_add_epi32(state[j].abef, s[j].abef);
        state[j].cdgh = _mm_add_epi32(state[j].cdgh, s[j].cdgh);
    }
}

// Functions of their own so that each gets the registers to itself: inlined into the
// block loop below, the schedule words were spilled to the stack.
CSHA256_TARGET __attribute__((noinline)) static void compress1(lanes *state, const uint8_t *const *blocks) {
    compress(state, blocks, 1);
}

CSHA256_TARGET __attribute__((noinline)) static void compress2(lanes *state, const uint8_t *const *blocks) {
    compress(state, blocks, 2);
}

CSHA256_TARGET void csha256_hash2(const csha256_message *m0, const csha256_message *m1, uint8_t *out0, uint8_t *out1) {
    lanes state[2] = { load_state(initial_state), load_state(initial_state) };
    const padded_message p[2] = { padded(m0), padded(m1) };
    uint8_t scratch[2][64];
    const size_t common = p[0].blocks < p[1].blocks ? p[0].blocks : p[1].blocks;
    size_t index = 0;
    for (; index < common; index++) {
        const uint8_t *blocks[2] = { block_at(&p[0], index, scratch[0]), block_at(&p[1], index, scratch[1]) };
        compress2(state, blocks);
    }
    // The longer message's tail, alone.
    for (int j = 0; j < 2; j++) {
        for (size_t i = index; i < p[j].blocks; i++) {
            const uint8_t *block = block_at(&p[j], i, scratch[j]);
            compress1(&state[j], &block);
        }
    }
    store_digest(state[0], out0);
    store_digest(state[1], out1);
}

// An interior node's message is 65 bytes: 0x01, left and the first 31 bytes of right fill the
// first block; the second holds the last byte of right, the 0x80 pad, zeros and the bit
// length 520 (0x208).
static inline void node_blocks(const uint8_t *left, const uint8_t *right, uint8_t first[64], uint8_t second[64]) {
    first[0] = 0x01;
    memcpy(first + 1, left, 32);
    memcpy(first + 33, right, 31);
    memset(second, 0, 64);
    second[0] = right[31];
    second[1] = 0x80;
    second[62] = 0x02;
    second[63] = 0x08;
}

// Two independent nodes at once.
CSHA256_TARGET static void node_pair(const uint8_t *left0, const uint8_t *right0, const uint8_t *left1, const uint8_t *right1,
                                     uint8_t *out0, uint8_t *out1) {
    uint8_t blocks[2][2][64];
    node_blocks(left0, right0, blocks[0][0], blocks[0][1]);
    node_blocks(left1, right1, blocks[1][0], blocks[1][1]);
    lanes state[2] = { load_state(initial_state), load_state(initial_state) };
    for (int i = 0; i < 2; i++) {
        const uint8_t *pair[2] = { blocks[0][i], blocks[1][i] };
        compress2(state, pair);
    }
    store_digest(state[0], out0);
    store_digest(state[1], out1);
}

CSHA256_TARGET void csha256_node(const uint8_t *left, const uint8_t *right, uint8_t *out) {
    uint8_t blocks[2][64];
    node_blocks(left, right, blocks[0], blocks[1]);
    lanes state = load_state(initial_state);
    for (int i = 0; i < 2; i++) {
        const uint8_t *block = blocks[i];
        compress1(&state, &block);
    }
    store_digest(state, out);
}

CSHA256_TARGET void csha256_subtree8(const uint8_t *leaves, uint8_t *out) {
    uint8_t level1[4][32], level2[2][32];
    node_pair(leaves, leaves + 32, leaves + 64, leaves + 96, level1[0], level1[1]);
    node_pair(leaves + 128, leaves + 160, leaves + 192, leaves + 224, level1[2], level1[3]);
    node_pair(level1[0], level1[1], level1[2], level1[3], level2[0], level2[1]);
    csha256_node(level2[0], level2[1], out);
}

#else

int csha256_available(void) { return 0; }

void csha256_subtree8(const uint8_t *leaves, uint8_t *out) {
    (void)leaves;
    memset(out, 0, 32);
}

void csha256_node(const uint8_t *left, const uint8_t *right, uint8_t *out) {
    (void)left;
    (void)right;
    memset(out, 0, 32);
}

void csha256_hash2(const csha256_message *m0, const csha256_message *m1, uint8_t *out0, uint8_t *out1) {
    // Never called: callers check csha256_available() first.
    (void)m0;
    (void)m1;
    memset(out0, 0, 32);
    memset(out1, 0, 32);
}

#endif
