/// A NumPy `.npy` array, read strictly (format versions 1.0–3.0): little-endian float64, float32, uint8, int32 or
/// int64 in C order, with the header checked key by key.
///
/// Strictness is the point: a Fortran-ordered or big-endian array read as if it were C-ordered little-endian would
/// give plausible-looking wrong targets, so those, object arrays and a payload whose length disagrees with the
/// shape are refused with the NumPy call that fixes them.
public struct NumPyArray: Sendable {
    /// The array's shape (empty for a scalar).
    public let shape: [Int]
    /// The elements in C order, converted to Double (exactly: every supported dtype fits).
    public let values: [Double]

    /// Element types the reader accepts, by their `descr` string.
    static let elementTypes: [String: (size: Int, read: @Sendable (UnsafeRawBufferPointer, Int) -> Double)] = [
        "<f8": (8, { Double(bitPattern: $0.loadUnaligned(fromByteOffset: $1 * 8, as: UInt64.self).littleEndian) }),
        "<f4": (
            4, { Double(Float(bitPattern: $0.loadUnaligned(fromByteOffset: $1 * 4, as: UInt32.self).littleEndian)) }
        ),
        "|u1": (1, { Double($0[$1]) }),
        "<u1": (1, { Double($0[$1]) }),
        "<i4": (4, { Double(Int32(littleEndian: $0.loadUnaligned(fromByteOffset: $1 * 4, as: Int32.self))) }),
        "<i8": (8, { Double(Int64(littleEndian: $0.loadUnaligned(fromByteOffset: $1 * 8, as: Int64.self))) }),
    ]

    public init(bytes: [UInt8]) throws {
        let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw DataFileError("is not a NumPy .npy file (no \\x93NUMPY magic); save it with numpy.save")
        }
        let major = bytes[6]
        let headerStart: Int
        let headerLength: Int
        switch major {
        case 1:
            headerStart = 10
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        case 2, 3:
            guard bytes.count >= 12 else { throw DataFileError("is a truncated .npy file (header cut short)") }
            headerStart = 12
            headerLength = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
        default:
            throw DataFileError("has .npy format version \(major).\(bytes[7]); only versions 1.0 to 3.0 exist")
        }
        guard headerStart + headerLength <= bytes.count else {
            throw DataFileError("is a truncated .npy file (header cut short)")
        }
        let header = try Header(String(decoding: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self))
        guard let element = Self.elementTypes[header.descr] else {
            throw DataFileError(Header.unsupported(header.descr))
        }
        guard !header.fortranOrder else {
            throw DataFileError(
                "is stored in Fortran order; save numpy.ascontiguousarray(array) so rows are points")
        }
        let payload = bytes.count - headerStart - headerLength
        // The element count, checked for overflow: a header may claim any shape, and only the payload is real.
        var count = 1
        var bytesNeeded = element.size
        for dimension in header.shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            let (size, sizeOverflow) = product.multipliedReportingOverflow(by: element.size)
            guard !overflow, !sizeOverflow else {
                throw DataFileError(
                    "claims shape \(header.shape), more elements than any file can hold; its header is damaged")
            }
            (count, bytesNeeded) = (product, size)
        }
        guard payload == bytesNeeded else {
            throw DataFileError(
                "holds \(payload) data bytes but its shape \(header.shape) of \(header.descr) needs \(bytesNeeded); the file is truncated or padded"
            )
        }
        shape = header.shape
        values = bytes.withUnsafeBytes { raw in
            let data = UnsafeRawBufferPointer(rebasing: raw[(headerStart + headerLength)...])
            return (0..<count).map { element.read(data, $0) }
        }
    }

    /// The array as rows (rank 2) for targets.
    public func rows() throws -> [[Double]] {
        guard shape.count == 2, shape[0] >= 1, shape[1] >= 1 else {
            throw DataFileError(
                "has shape \(shape); targets need a 2-D array of points × coordinates (reshape images to (count, pixels))"
            )
        }
        let width = shape[1]
        return (0..<shape[0]).map { Array(values[($0 * width)..<(($0 + 1) * width)]) }
    }

    /// The array as a vector (rank 1, or rank 2 with one column) for labels.
    public func vector() throws -> [Double] {
        guard shape.count == 1 || (shape.count == 2 && shape[1] == 1) else {
            throw DataFileError("has shape \(shape); labels need a 1-D array with one label per point")
        }
        return values
    }
}

extension NumPyArray {
    /// The header dictionary: exactly the keys `descr`, `fortran_order`, `shape`.
    struct Header {
        let descr: String
        let fortranOrder: Bool
        let shape: [Int]

        init(_ text: String) throws {
            let body = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard body.hasPrefix("{"), body.hasSuffix("}") else {
                throw DataFileError("has a malformed .npy header (not a dictionary): \(body.prefix(60))")
            }
            var descr: String?
            var fortranOrder: Bool?
            var shape: [Int]?
            var rest = Substring(body.dropFirst().dropLast())
            while let keyRange = rest.range(of: #"'[a-z_]+'\s*:\s*"#, options: .regularExpression) {
                let key = rest[keyRange].split(separator: "'")[0]
                rest = rest[keyRange.upperBound...]
                switch key {
                case "descr":
                    guard rest.first == "'", let close = rest.dropFirst().firstIndex(of: "'") else {
                        throw DataFileError("has a malformed .npy header (descr)")
                    }
                    descr = String(rest[rest.index(after: rest.startIndex)..<close])
                    rest = rest[rest.index(after: close)...]
                case "fortran_order":
                    if rest.hasPrefix("True") {
                        fortranOrder = true
                    } else if rest.hasPrefix("False") {
                        fortranOrder = false
                    } else {
                        throw DataFileError("has a malformed .npy header (fortran_order)")
                    }
                case "shape":
                    guard rest.first == "(", let close = rest.firstIndex(of: ")") else {
                        throw DataFileError("has a malformed .npy header (shape)")
                    }
                    let items = rest[rest.index(after: rest.startIndex)..<close].split(separator: ",").map {
                        $0.trimmingCharacters(in: .whitespaces)
                    }.filter { !$0.isEmpty }
                    let dims = items.compactMap { Int($0) }
                    guard dims.count == items.count, dims.allSatisfy({ $0 >= 0 }) else {
                        throw DataFileError("has a malformed .npy header (shape \(items))")
                    }
                    shape = dims
                    rest = rest[close...]
                default:
                    throw DataFileError("has an unexpected .npy header key '\(key)'")
                }
            }
            guard let descr, let fortranOrder, let shape else {
                throw DataFileError("has a .npy header without descr, fortran_order and shape")
            }
            self.descr = descr
            self.fortranOrder = fortranOrder
            self.shape = shape
        }

        /// Why a dtype is refused, with the conversion that fixes it.
        static func unsupported(_ descr: String) -> String {
            if descr.contains("O") {
                return "holds Python objects (dtype \(descr)), not numbers; save array.astype('float64')"
            }
            if descr.hasPrefix(">") {
                return "is big-endian (dtype \(descr)); save array.astype('<f8')"
            }
            return "has dtype \(descr); use float64 (<f8), float32 (<f4), uint8, int32 or int64 (array.astype('<f8'))"
        }
    }
}
