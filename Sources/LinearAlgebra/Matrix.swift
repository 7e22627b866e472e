/// A dense real matrix stored column-major, the layout LAPACK and BLAS use natively.
///
/// A value type: copies are independent (Swift arrays give copy-on-write storage).
/// Element `(row, column)` lives at `storage[column * rows + row]`.
public struct Matrix: Equatable, Sendable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let columns: Int
    /// Column-major entries, `rows * columns` of them.
    public var storage: [Double]

    /// A `rows × columns` matrix filled with `value`.
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.storage = Array(repeating: value, count: rows * columns)
    }

    /// A matrix from column-major storage.
    public init(rows: Int, columns: Int, columnMajor storage: [Double]) {
        precondition(storage.count == rows * columns, "storage holds \(storage.count) entries, need \(rows * columns)")
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    /// A matrix from nested rows (`rowsOfEntries[i][j]` is entry `(i, j)`); all rows must have one length.
    public init(_ rowsOfEntries: [[Double]]) {
        let rowCount = rowsOfEntries.count
        let columnCount = rowsOfEntries.first?.count ?? 0
        self.init(rows: rowCount, columns: columnCount)
        for (i, row) in rowsOfEntries.enumerated() {
            precondition(row.count == columnCount, "ragged rows")
            for (j, value) in row.enumerated() { self[i, j] = value }
        }
    }

    /// The `n × n` identity.
    public static func identity(_ n: Int) -> Matrix {
        var matrix = Matrix(rows: n, columns: n)
        for i in 0..<n { matrix[i, i] = 1 }
        return matrix
    }

    /// Entry `(row, column)`.
    @inlinable
    public subscript(row: Int, column: Int) -> Double {
        get { storage[column &* rows &+ row] }
        set { storage[column &* rows &+ row] = newValue }
    }

    /// Whether the matrix is square.
    public var isSquare: Bool { rows == columns }

    /// The block of rows `rowRange` and columns `columnRange`.
    public func submatrix(rows rowRange: Range<Int>, columns columnRange: Range<Int>) -> Matrix {
        var block = Matrix(rows: rowRange.count, columns: columnRange.count)
        for c in columnRange {
            for r in rowRange { block[r - rowRange.lowerBound, c - columnRange.lowerBound] = self[r, c] }
        }
        return block
    }

    /// The transpose.
    public var transposed: Matrix {
        var result = Matrix(rows: columns, columns: rows)
        for j in 0..<columns {
            for i in 0..<rows { result[j, i] = self[i, j] }
        }
        return result
    }

    /// Rows as nested arrays (for printing and JSON).
    public var rowArrays: [[Double]] {
        (0..<rows).map { i in (0..<columns).map { j in self[i, j] } }
    }

    /// The Frobenius norm √(Σ a_ij²).
    public var frobeniusNorm: Double {
        euclideanNorm(storage)
    }

    /// The largest |a_ij|.
    public var maxAbsoluteEntry: Double {
        storage.reduce(0) { max($0, abs($1)) }
    }

    /// Entry-wise difference.
    public static func - (lhs: Matrix, rhs: Matrix) -> Matrix {
        precondition(lhs.rows == rhs.rows && lhs.columns == rhs.columns, "shape mismatch")
        return Matrix(rows: lhs.rows, columns: lhs.columns, columnMajor: zip(lhs.storage, rhs.storage).map { $0 - $1 })
    }

    /// Entry-wise sum.
    public static func + (lhs: Matrix, rhs: Matrix) -> Matrix {
        precondition(lhs.rows == rhs.rows && lhs.columns == rhs.columns, "shape mismatch")
        return Matrix(rows: lhs.rows, columns: lhs.columns, columnMajor: zip(lhs.storage, rhs.storage).map { $0 + $1 })
    }

    /// Every entry multiplied by `factor`.
    public func scaled(by factor: Double) -> Matrix {
        Matrix(rows: rows, columns: columns, columnMajor: storage.map { $0 * factor })
    }
}
