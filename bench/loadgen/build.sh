#!/usr/bin/env bash
# Builds bench/loadgen/loadgen against the librdkafka that the confluent-kafka wheel ships
# (linked by path, found at run time through an rpath), so the C load generator and the
# Python scenarios drive both brokers with the same current librdkafka. Debian's
# librdkafka-dev provides only the header; the library comes from the wheel.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
python="${PYTHON:-python3}"
libdir="$("$python" - <<'PY'
import os, confluent_kafka
site = os.path.dirname(os.path.dirname(confluent_kafka.__file__))
for d in ("confluent_kafka.libs", "confluent_kafka/.libs", "confluent_kafka/.dylibs"):
    path = os.path.join(site, d)
    if os.path.isdir(path) and any(f.startswith("librdkafka") for f in os.listdir(path)):
        print(path)
        break
else:
    raise SystemExit("no librdkafka inside the confluent-kafka wheel")
PY
)"
lib="$(ls "$libdir"/librdkafka*.so* | head -n 1)"
cc="${CC:-$(command -v cc || command -v clang)}"
"$cc" -O2 -Wall -Wextra -o "$here/loadgen" "$here/loadgen.c" "$lib" -Wl,-rpath,"$libdir" -lpthread
echo "built $here/loadgen against $lib"
