// OpenSSL's libcrypto (Debian's libssl-dev), for AuditChain's SHA-256 only.
//
// Why not swift-crypto's SHA256: on Linux each SHA256() value heap-allocates a BoringSSL
// context (and zeroizes it on finalize), and every record takes three or four hashes, so
// the allocator, not the hashing, bounded audit throughput for small records. The
// low-level SHA256_CTX API below lives on the stack and uses the CPU's SHA extensions.
// OpenSSL 3 marks it deprecated in favour of EVP, whose per-call dispatch costs as much as
// a small hash; it stays available throughout 3.x.
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/sha.h>
