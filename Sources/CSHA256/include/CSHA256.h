// SHA-256 with the x86 SHA extensions, two messages at a time.
//
// Why: on the SHA extensions one message is bound by the latency of sha256rnds2 (each
// pair of rounds waits for the previous one), not by the core's throughput; two
// independent messages interleaved in one instruction stream fill those gaps. Every audited
// record takes several independent hashes (its value, its key, its leaf), so the broker's
// chaining hashes two records at once. OpenSSL stays the single-message path and the
// fallback on CPUs without the extensions.
#ifndef CSHA256_H
#define CSHA256_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// A message made of `prefix` followed by `body` (either may be empty), hashed without
/// being copied together.
typedef struct {
    const uint8_t *prefix;
    size_t prefix_length;
    const uint8_t *body;
    size_t body_length;
} csha256_message;

/// 1 when this CPU has the instructions `csha256_hash2` needs (SHA, SSE4.1, SSSE3), else 0.
int csha256_available(void);

/// Writes SHA-256(m0) to out0 and SHA-256(m1) to out1 (32 bytes each).
/// Only call when `csha256_available()` returned 1.
void csha256_hash2(const csha256_message *m0, const csha256_message *m1, uint8_t *out0, uint8_t *out1);

/// Writes the RFC 9162 root of eight consecutive Merkle leaves (32 bytes each, `leaves` holds
/// 256 bytes) to `out`: the seven interior nodes SHA-256(0x01 || left || right), the six of
/// the lower two levels hashed two at a time. Only call when `csha256_available()` returned 1.
void csha256_subtree8(const uint8_t *leaves, uint8_t *out);

/// Writes the RFC 9162 interior node SHA-256(0x01 || left || right) to `out`.
/// Only call when `csha256_available()` returned 1.
void csha256_node(const uint8_t *left, const uint8_t *right, uint8_t *out);

#ifdef __cplusplus
}
#endif

#endif
