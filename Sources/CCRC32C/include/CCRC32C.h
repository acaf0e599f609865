// CRC-32C with the CPU's own instructions (x86-64 SSE 4.2, AArch64 CRC), for KafkaProtocol's CRC32C.
// Swift has no portable access to these instructions; portable Swift falls back to slice-by-8.
#include <stddef.h>
#include <stdint.h>

/// 1 when this CPU has CRC-32C instructions, else 0.
int ccrc32c_hardware_available(void);

/// Extends `crc` (0 to start; pre- and post-inverted like Kafka's CRC-32C) by `length` bytes.
/// Call only when ccrc32c_hardware_available() returned 1.
uint32_t ccrc32c_hardware_update(uint32_t crc, const void *bytes, size_t length);
