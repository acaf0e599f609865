/// Decides whether data written with one schema can be read with another, by
/// the Avro specification's schema-resolution rules, exactly as Apache Avro's
/// Java `SchemaCompatibility` applies them (the checker Confluent uses):
///
/// - same primitive types match; promotions int→long/float/double,
///   long→float/double, float→double, string↔bytes;
/// - records, enums and fixed match by unqualified name or a reader alias of the
///   writer's full name; fixed sizes must agree; writer enum symbols must exist
///   in the reader unless the reader enum has a default;
/// - every reader field is read from the writer field of the same name (or an
///   alias), or else needs a default;
/// - every branch of a writer union must be readable; a reader union reads a
///   writer type when any branch can;
/// - pairs already under examination count as compatible (recursive types), and
///   every pair's outcome is memoized.
struct AvroResolutionChecker {
    let reader: AvroSchema
    let writer: AvroSchema

    private enum Memo {
        case inProgress
        case done([String])
    }

    private var memo: [String: Memo] = [:]

    init(reader: AvroSchema, writer: AvroSchema) {
        self.reader = reader
        self.writer = writer
    }

    /// Incompatibility messages for reading `writer` data with `reader`; empty when compatible.
    mutating func check() -> [String] {
        compatibility(reader.root, writer.root, location: "")
    }

    /// Memoized entry point. Only named-type pairs can recur, so only they are
    /// keyed (by full names); other nodes are cheap and finite to recompute.
    private mutating func compatibility(_ readerType: AvroType, _ writerType: AvroType, location: String) -> [String] {
        let r = reader.resolved(readerType)
        let w = writer.resolved(writerType)
        guard let rName = AvroResolutionChecker.namedKey(r), let wName = AvroResolutionChecker.namedKey(w) else {
            return calculate(r, w, location: location)
        }
        let key = rName + "\u{0}" + wName
        switch memo[key] {
        case .inProgress?:
            return []
        case .done(let messages)?:
            return messages
        case nil:
            memo[key] = .inProgress
            let messages = calculate(r, w, location: location)
            memo[key] = .done(messages)
            return messages
        }
    }

    private static func namedKey(_ type: AvroType) -> String? {
        switch type {
        case .record(let r): return "record:" + r.name.fullName
        case .enumeration(let e): return "enum:" + e.name.fullName
        case .fixed(let f): return "fixed:" + f.name.fullName
        default: return nil
        }
    }

    private mutating func calculate(_ r: AvroType, _ w: AvroType, location: String) -> [String] {
        switch (r, w) {
        case (.null, .null), (.boolean, .boolean), (.int, .int), (.long, .long),
             (.float, .float), (.double, .double), (.bytes, .bytes), (.string, .string):
            return []
        case (.array(let ri), .array(let wi)):
            return compatibility(ri, wi, location: location + "/items")
        case (.map(let rv), .map(let wv)):
            return compatibility(rv, wv, location: location + "/values")
        case (.fixed(let rf), .fixed(let wf)):
            var messages = checkNames(r, rf.name, rf.aliases, wf.name, location: location)
            if rf.size != wf.size {
                messages.append("FIXED_SIZE_MISMATCH at \(location)/size: expected: \(wf.size), found: \(rf.size)")
            }
            return messages
        case (.enumeration(let re), .enumeration(let we)):
            var messages = checkNames(r, re.name, re.aliases, we.name, location: location)
            let readerSymbols = Set(re.symbols)
            let missing = we.symbols.filter { !readerSymbols.contains($0) }.sorted()
            // A reader enum default absorbs unknown writer symbols.
            if !missing.isEmpty, re.defaultSymbol == nil {
                messages.append("MISSING_ENUM_SYMBOLS at \(location)/symbols: [\(missing.joined(separator: ", "))]")
            }
            return messages
        case (.record(let rr), .record(let wr)):
            var messages = checkNames(r, rr.name, rr.aliases, wr.name, location: location)
            messages += checkFields(rr, wr, location: location)
            return messages
        case (.union(let rBranches), .union(let wBranches)):
            var messages: [String] = []
            for (i, branch) in wBranches.enumerated() where !compatibility(.union(rBranches), branch, location: "\(location)/\(i)").isEmpty {
                messages.append("MISSING_UNION_BRANCH at \(location)/\(i): reader union lacking writer type: \(writer.resolved(branch).javaTypeName)")
            }
            return messages
        case (_, .union(let wBranches)):
            // A non-union reader must read every branch the writer may have used.
            return wBranches.flatMap { compatibility(r, $0, location: location) }
        case (.union(let rBranches), _):
            for branch in rBranches where compatibility(branch, w, location: location).isEmpty {
                return []
            }
            return ["MISSING_UNION_BRANCH at \(location.isEmpty ? "/" : location): reader union lacking writer type: \(w.javaTypeName)"]
        case (.long, .int), (.float, .int), (.float, .long), (.double, .int), (.double, .long), (.double, .float),
             (.bytes, .string), (.string, .bytes):
            return []  // promotions
        default:
            return ["TYPE_MISMATCH at \(location.isEmpty ? "/" : location): reader type: \(r.javaTypeName) not compatible with writer type: \(w.javaTypeName)"]
        }
    }

    /// Java's `schemaNameEquals`: unqualified names equal, or a reader alias equals the writer's full name.
    private func checkNames(_ r: AvroType, _ readerName: AvroName, _ readerAliases: [String], _ writerName: AvroName, location: String) -> [String] {
        if readerName.name == writerName.name || readerAliases.contains(writerName.fullName) { return [] }
        return ["NAME_MISMATCH at \(location)/name: expected: \(writerName.fullName)"]
    }

    private mutating func checkFields(_ r: AvroRecord, _ w: AvroRecord, location: String) -> [String] {
        var messages: [String] = []
        // Indexed once per record pair: a linear lookup per field is quadratic on wide records.
        var writerFields: [String: AvroField] = [:]
        for field in w.fields { writerFields[field.name] = field }
        for (i, readerField) in r.fields.enumerated() {
            let fieldLocation = "\(location)/fields/\(i)"
            // Java's lookupWriterField: the direct name plus every alias that matches.
            var matches: [AvroField] = []
            if let direct = writerFields[readerField.name] { matches.append(direct) }
            for alias in readerField.aliases {
                if let aliased = writerFields[alias] { matches.append(aliased) }
            }
            switch matches.count {
            case 0:
                if readerField.defaultValue == nil {
                    messages.append("READER_FIELD_MISSING_DEFAULT_VALUE at \(fieldLocation): \(readerField.name)")
                }
            case 1:
                messages += compatibility(readerField.type, matches[0].type, location: fieldLocation + "/type")
            default:
                messages.append("reader field \(readerField.name) matches multiple fields in writer record \(w.name.fullName)")
            }
        }
        return messages
    }
}
