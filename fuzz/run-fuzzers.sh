#!/usr/bin/env bash
# Builds the libFuzzer targets and runs each for FUZZ_SECONDS (default 600) on its
# seed corpus. Called by `make fuzz`; `FUZZ_TARGETS="AvroFuzzer"` runs a subset.
#
# fuzz/corpus/<name>/ is the committed seed corpus (read only here); new inputs go to
# fuzz/.build/corpus/<name>/, crashes/timeouts/leaks to fuzz/.build/artifacts/, logs
# to fuzz/.build/logs/. Exits 1 when any target found something.
set -euo pipefail
cd "$(dirname "$0")"

FUZZ_SECONDS=${FUZZ_SECONDS:-600}
FUZZ_TARGETS=${FUZZ_TARGETS:-"FrameFuzzer RecordBatchFuzzer AvroFuzzer TopicsYAMLFuzzer"}

# Every module, dependencies included, is compiled with coverage instrumentation and
# AddressSanitizer; -parse-as-library because libFuzzer supplies main().
swift build -c release --scratch-path .build \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library

corpus_of() {
    case $1 in
        FrameFuzzer) echo frame ;;
        RecordBatchFuzzer) echo record_batch ;;
        AvroFuzzer) echo avro ;;
        TopicsYAMLFuzzer) echo topics_yaml ;;
        *) echo "unknown fuzz target $1" >&2; exit 2 ;;
    esac
}

# Seeds are at most a few KiB; 64 KiB leaves room for many frames or batches per
# input while keeping each execution fast. 1 GiB RSS is far above what a correct run
# needs (the decompression guard is 4 MiB) and catches allocation blow-ups.
max_len_of() {
    case $1 in
        FrameFuzzer|RecordBatchFuzzer) echo 65536 ;;
        *) echo 16384 ;;
    esac
}

mkdir -p .build/artifacts .build/logs
export LSAN_OPTIONS="suppressions=$PWD/lsan-suppressions.txt${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
failed=0
for target in $FUZZ_TARGETS; do
    name=$(corpus_of "$target")
    mkdir -p ".build/corpus/$name"
    log=".build/logs/$target.log"
    echo "== $target: ${FUZZ_SECONDS}s on corpus/$name (log: fuzz/$log)"
    status=0
    ".build/release/$target" ".build/corpus/$name" "corpus/$name" \
        -max_total_time="$FUZZ_SECONDS" -max_len="$(max_len_of "$target")" \
        -rss_limit_mb=1024 -timeout=10 -print_final_stats=1 \
        -artifact_prefix=".build/artifacts/$target-" >"$log" 2>&1 || status=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
    if [ "$status" -eq 0 ]; then
        echo "   ok: ${runs:-?} executions, $cov"
    else
        failed=1
        echo "   FAILED (exit $status) after ${runs:-?} executions; last lines of fuzz/$log:"
        tail -30 "$log" | sed 's/^/   | /'
    fi
done
exit $failed
