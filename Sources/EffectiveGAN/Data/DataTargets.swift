import Foundation

/// Target points read from data — a file or a bundled data set — after selection and transformation, with a
/// record of where they came from so a resolved model stays self-describing.
public struct DataTargets: Equatable, Sendable {
    /// The points (M rows of length d), in file order.
    public var points: [[Double]]
    public var source: TargetSource
}

/// Where data targets came from and what was done to them (the resolved model's optional `targetSource`).
public struct TargetSource: Equatable, Sendable {
    /// A sentence naming the file or data set (with its licence), the selection and the transformation.
    public var origin: String
    /// With `standardize`: the per-coordinate mean subtracted and the overall standard deviation divided by.
    public var standardization: Standardization?

    var json: JSONValue {
        var pairs: [(String, JSONValue)] = [("origin", .string(origin))]
        if let standardization {
            pairs += [("mean", .numbers(standardization.mean)), ("scale", .number(standardization.scale))]
        }
        return .object(pairs)
    }

    init(origin: String, standardization: Standardization?) {
        self.origin = origin
        self.standardization = standardization
    }

    init(_ reader: JSONReader) throws {
        try reader.rejectUnknownKeys(allowed: ["origin", "mean", "scale"])
        origin = try reader.string("origin")
        standardization =
            reader.has("mean")
            ? Standardization(mean: try reader.doubles("mean"), scale: try reader.positive("scale")) : nil
    }
}

/// x ↦ (x − mean) / scale: zero mean in every coordinate and unit standard deviation over all coordinates
/// together. One overall scale, not one per coordinate, keeps the data's shape (pixels that never vary, such as an
/// image's border, stay at 0 instead of dividing by 0).
public struct Standardization: Equatable, Sendable {
    public var mean: [Double]
    public var scale: Double

    /// The standardisation of `points`, or nil when they are all equal.
    init?(of points: [[Double]]) {
        let d = points[0].count
        let count = Double(points.count)
        let mean = (0..<d).map { α in points.reduce(0) { $0 + $1[α] } / count }
        let squares = points.reduce(0.0) { total, point in
            total + zip(point, mean).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        }
        let scale = (squares / (count * Double(d))).squareRoot()
        guard scale > 0 else { return nil }
        self.init(mean: mean, scale: scale)
    }

    init(mean: [Double], scale: Double) {
        self.mean = mean
        self.scale = scale
    }

    func apply(_ points: [[Double]]) -> [[Double]] {
        points.map { point in zip(point, mean).map { ($0 - $1) / scale } }
    }
}

/// How a data file is laid out.
enum DataFormat: String, CaseIterable {
    case npy, csv

    /// The format a file name's extension names, if any.
    init?(fileName: String) {
        self.init(rawValue: URL(fileURLWithPath: fileName).pathExtension.lowercased())
    }

    /// The format of a data file named in a config: `format` when given, else its extension — `.npy`, or CSV for
    /// `.csv`, `.txt` and no extension. Any other extension (`.parquet`, `.pt`, `.png`) is refused rather than
    /// parsed as text.
    static func of(_ path: String, in reader: JSONReader, key: String = "format", field: String) throws -> DataFormat {
        if reader.has(key) { return try reader.choice(key, as: DataFormat.self) }
        let suffix = URL(fileURLWithPath: path).pathExtension.lowercased()
        if let format = DataFormat(fileName: path) { return format }
        guard suffix.isEmpty || suffix == "txt" else {
            throw ConfigError.invalidValue(
                path: field,
                reason:
                    "'\(path)' has the extension .\(suffix), which egan does not read; save it with numpy.save (.npy) or as CSV, or set \"format\""
            )
        }
        return .csv
    }
}
