import CYaml

/// Refuses YAML nested deeper than topics.yaml can legitimately be, before Yams sees it.
///
/// `Yams.compose` builds nodes recursively, one stack frame pair per nesting level, so a
/// few thousand `{` or `- ` (found by the TopicsYAMLFuzzer) overflow the stack and kill
/// the process — `eventctl topics lint` or `eventd --topics` crashing on a bad file.
/// libyaml's event parser is not recursive: walking its events first costs one extra
/// pass over a small file and bounds the depth Yams will recurse to.
struct YAMLNestingGuard {
    /// A topics file nests five levels (file, topics, topic, schema, list); anything
    /// beyond this is not a topics file.
    static let maxDepth = 64

    /// Where the document first exceeds `maxDepth` (1-based line and column), or nil
    /// when it does not. Syntax errors end the walk early and are left to Yams to report.
    static func firstTooDeepPosition(in yaml: String) -> (line: Int, column: Int)? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        let bytes = Array(yaml.utf8)
        return bytes.withUnsafeBufferPointer { input -> (line: Int, column: Int)? in
            yaml_parser_set_input_string(&parser, input.baseAddress, input.count)
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            var depth = 0
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                defer { yaml_event_delete(&event) }
                switch event.type {
                case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                    depth += 1
                    if depth > maxDepth {
                        return (Int(event.start_mark.line) + 1, Int(event.start_mark.column) + 1)
                    }
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    depth -= 1
                case YAML_STREAM_END_EVENT:
                    return nil
                default:
                    break
                }
            }
        }
    }
}
