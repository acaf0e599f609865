/// A schema flattened for ``AvroBinaryValidator``: one small node per type, children by
/// index, references already resolved.
///
/// Why: the broker validates every produced record. Walking ``AvroType`` itself copies
/// indirect enum payloads (a retain and release for every node of every record) and looks
/// every named-type reference up by string; a record of one field cost more in reference
/// counting than in reading its bytes. The plan is built once per schema and walked by
/// index.
struct AvroValidationPlan: Sendable {
    enum Kind: UInt8, Sendable {
        case null, boolean, int, long, float, double, bytes, string
        /// `count` bytes; `name` is the fixed type's full name.
        case fixed
        /// `count` symbols; `name` is the enum's full name.
        case enumeration
        /// `count` branch nodes at `children[first...]`.
        case union
        /// `count` field nodes at `children[first...]`.
        case record
        /// Items are node `first`.
        case array
        /// Values are node `first`.
        case map
        /// A reference to a name the schema does not define; `name` is that name.
        case undefined
    }

    struct Node: Sendable {
        var kind: Kind
        var first: Int = 0
        var count: Int = 0
        /// Index into ``AvroValidationPlan/names`` (fixed, enumeration, undefined).
        var name: Int = -1
    }

    private(set) var nodes: [Node] = []
    private(set) var children: [Int] = []
    /// Type names, read only for error messages.
    private(set) var names: [String] = []
    private(set) var root: Int = 0

    init(root: AvroType, namedTypes: [String: AvroType]) {
        var builder = Builder(namedTypes: namedTypes)
        self.root = builder.add(root)
        nodes = builder.nodes
        children = builder.children
        names = builder.names
    }

    private struct Builder {
        let namedTypes: [String: AvroType]
        var nodes: [Node] = []
        var children: [Int] = []
        var names: [String] = []
        /// Named types already added, so that a recursive schema stays finite.
        var named: [String: Int] = [:]

        init(namedTypes: [String: AvroType]) {
            self.namedTypes = namedTypes
        }

        mutating func add(_ type: AvroType) -> Int {
            switch type {
            case .null: return append(Node(kind: .null))
            case .boolean: return append(Node(kind: .boolean))
            case .int: return append(Node(kind: .int))
            case .long: return append(Node(kind: .long))
            case .float: return append(Node(kind: .float))
            case .double: return append(Node(kind: .double))
            case .bytes: return append(Node(kind: .bytes))
            case .string: return append(Node(kind: .string))
            case .logical(_, let base):
                return add(base)
            case .reference(let name):
                if let index = named[name] { return index }
                if let definition = namedTypes[name] { return add(definition) }
                return append(Node(kind: .undefined, name: nameIndex(name)))
            case .fixed(let fixed):
                if let index = named[fixed.name.fullName] { return index }
                let index = append(Node(kind: .fixed, count: fixed.size, name: nameIndex(fixed.name.fullName)))
                named[fixed.name.fullName] = index
                return index
            case .enumeration(let definition):
                if let index = named[definition.name.fullName] { return index }
                let index = append(Node(kind: .enumeration, count: definition.symbols.count, name: nameIndex(definition.name.fullName)))
                named[definition.name.fullName] = index
                return index
            case .record(let record):
                if let index = named[record.name.fullName] { return index }
                // Registered before its fields, which may refer to it.
                let index = append(Node(kind: .record))
                named[record.name.fullName] = index
                setChildren(of: index, record.fields.map { add($0.type) })
                return index
            case .union(let branches):
                let index = append(Node(kind: .union))
                setChildren(of: index, branches.map { add($0) })
                return index
            case .array(let items):
                let index = append(Node(kind: .array))
                nodes[index].first = add(items)
                return index
            case .map(let values):
                let index = append(Node(kind: .map))
                nodes[index].first = add(values)
                return index
            }
        }

        private mutating func append(_ node: Node) -> Int {
            nodes.append(node)
            return nodes.count - 1
        }

        /// Children are appended only once all of them are built (building one appends the
        /// children of its own descendants), so each node's list is contiguous.
        private mutating func setChildren(of index: Int, _ list: [Int]) {
            nodes[index].first = children.count
            nodes[index].count = list.count
            children.append(contentsOf: list)
        }

        private mutating func nameIndex(_ name: String) -> Int {
            names.append(name)
            return names.count - 1
        }
    }
}
