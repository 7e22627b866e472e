/// Minimum-cost perfect matching of an n × n cost matrix (the Hungarian method with potentials, O(n³)).
///
/// Used to follow eigenvalues from one sweep point to the next: sorting by real part swaps branches where they
/// cross; the optimal assignment keeps each mode's identity.
/// - Returns: `assignment[i]` = the column matched to row i. With a non-finite cost there is no meaningful optimum
///   (and the potentials would never converge): the identity is returned, and callers report the infinite cost.
func minimumCostAssignment(_ cost: [[Double]]) -> [Int] {
    let n = cost.count
    if n == 0 { return [] }
    guard cost.allSatisfy({ $0.allSatisfy(\.isFinite) }) else { return Array(0..<n) }
    // 1-based arrays as in the classical formulation; column 0 is a virtual start.
    var u = [Double](repeating: 0, count: n + 1)
    var v = [Double](repeating: 0, count: n + 1)
    var rowOfColumn = [Int](repeating: 0, count: n + 1)
    var way = [Int](repeating: 0, count: n + 1)
    for row in 1...n {
        rowOfColumn[0] = row
        var column0 = 0
        var minimum = [Double](repeating: .infinity, count: n + 1)
        var used = [Bool](repeating: false, count: n + 1)
        repeat {
            used[column0] = true
            let row0 = rowOfColumn[column0]
            var delta = Double.infinity
            var column1 = 0
            for column in 1...n where !used[column] {
                let reduced = cost[row0 - 1][column - 1] - u[row0] - v[column]
                if reduced < minimum[column] {
                    minimum[column] = reduced
                    way[column] = column0
                }
                if minimum[column] < delta {
                    delta = minimum[column]
                    column1 = column
                }
            }
            for column in 0...n {
                if used[column] {
                    u[rowOfColumn[column]] += delta
                    v[column] -= delta
                } else {
                    minimum[column] -= delta
                }
            }
            column0 = column1
        } while rowOfColumn[column0] != 0
        repeat {
            let column1 = way[column0]
            rowOfColumn[column0] = rowOfColumn[column1]
            column0 = column1
        } while column0 != 0
    }
    var assignment = [Int](repeating: 0, count: n)
    for column in 1...n where rowOfColumn[column] > 0 { assignment[rowOfColumn[column] - 1] = column - 1 }
    return assignment
}
