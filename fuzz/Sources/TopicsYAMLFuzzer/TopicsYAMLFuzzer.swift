// libFuzzer entry point for the topics.yaml loader: YAML parsing (Yams/libyaml) and
// the validator behind `eventctl topics lint/plan/apply` and the broker's `--topics`.
// Malformed files must end in TopicsFileErrors naming file and line, never a trap.
import TopicPolicy

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTopicsFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // TopicsFile.load refuses non-UTF-8 files before parsing; do the same.
    guard let yaml = String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self) else {
        return 0
    }
    do {
        let file = try TopicsFile.parse(yaml: yaml, fileName: "topics.yaml")
        for topic in file.topics {
            _ = file.topic(named: topic.name)
        }
    } catch let errors as TopicsFileErrors {
        _ = "\(errors)"
    } catch {
        // parse documents TopicsFileErrors as its only error.
        fatalError("TopicsFile.parse threw \(type(of: error)): \(error)")
    }
    return 0
}
