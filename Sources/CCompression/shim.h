// The C compression libraries Kafka record batches use: gzip (zlib), snappy, lz4 (frame format) and zstd.
#include <zlib.h>
#include <snappy-c.h>
#include <lz4frame.h>
#include <zstd.h>
