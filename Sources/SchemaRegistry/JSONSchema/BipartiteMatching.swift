/// Maximum-cardinality bipartite matching (Kuhn's augmenting paths), as Confluent
/// uses to pair the subschemas of two combined schemas.
enum BipartiteMatching {
    /// - Parameters:
    ///   - edges: for each left vertex, the right vertices it may pair with.
    ///   - rightCount: number of right vertices.
    /// - Returns: left index → matched right index.
    static func maximum(edges: [[Int]], rightCount: Int) -> [Int: Int] {
        var matchOfRight = Array(repeating: -1, count: rightCount)
        func augment(_ left: Int, _ visited: inout [Bool]) -> Bool {
            for right in edges[left] where !visited[right] {
                visited[right] = true
                if matchOfRight[right] < 0 || augment(matchOfRight[right], &visited) {
                    matchOfRight[right] = left
                    return true
                }
            }
            return false
        }
        for left in edges.indices {
            var visited = Array(repeating: false, count: rightCount)
            _ = augment(left, &visited)
        }
        var result: [Int: Int] = [:]
        for (right, left) in matchOfRight.enumerated() where left >= 0 {
            result[left] = right
        }
        return result
    }
}
