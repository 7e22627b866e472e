import Foundation

/// Decoding of the data target kinds (issue #14):
///   {"kind": "file", "path": "digits.npy", "format": "npy"|"csv", "standardize": true,
///    "subset": {"perClass": 10, "labels": "labels.npy"} | {"indices": [0, 5, 7]}}
///   {"kind": "dataset", "name": "digits100"|"mnist100", "standardize": true | "normalization": "common",
///    "subset": {"perClass": 5} | {"indices": [...]}}
/// Paths are relative to the config file's folder (the working directory for a config given inline).
extension DataTargets {
    static let fileKeys = ["path", "format", "standardize", "subset"]
    static let datasetKeys = ["name", "standardize", "normalization", "subset"]

    init(_ reader: JSONReader, kind: String, dimension: Int, baseDirectory: URL?) throws {
        var points: [[Double]]
        var labels: [Double]?
        var origin: String
        var scaling: (offset: Double, scale: Double)?
        if kind == "file" {
            let path = try reader.string("path")
            let format = try DataFormat.of(path, in: reader, field: reader.child("path"))
            points = try Self.read(path, as: format, field: reader.child("path"), baseDirectory: baseDirectory)
                .rows(field: reader.child("path"), path: path)
            origin = "file \(path)"
        } else {
            let dataset = try reader.choice("name", as: BundledDataset.self)
            let contents = try dataset.contents()
            points = contents.images
            labels = contents.labels
            origin = "\(dataset.rawValue): \(contents.source)"
            if reader.has("normalization") {
                guard try reader.string("normalization") == "common", let common = contents.commonNormalization else {
                    throw ConfigError.invalidValue(
                        path: reader.child("normalization"),
                        reason: dataset == .mnist100
                            ? "must be \"common\" ((pixel/255 − 0.1307)/0.3081)"
                            : "does not apply to \(dataset.rawValue); use \"standardize\": true")
                }
                scaling = common
            }
        }
        if reader.has("subset") {
            let subset = try reader.object("subset")
            let selected = try Self.select(subset, count: points.count, labels: labels, baseDirectory: baseDirectory)
            points = selected.indices.map { points[$0] }
            origin += ", \(selected.description)"
        } else {
            origin += ", all \(points.count) points"
        }
        if let (offset, scale) = scaling {
            points = points.map { $0.map { ($0 - offset) / scale } }
            origin += ", normalised as (x − \(Format.number(offset, digits: 6)))/\(Format.number(scale, digits: 6))"
        }
        var standardization: Standardization?
        if try reader.bool("standardize", default: false) {
            if scaling != nil {
                throw ConfigError.invalidValue(
                    path: reader.child("standardize"), reason: "cannot be combined with normalization; choose one")
            }
            guard let fitted = Standardization(of: points) else {
                throw ConfigError.invalidValue(
                    path: reader.child("standardize"), reason: "is impossible: all selected targets are equal")
            }
            standardization = fitted
            points = fitted.apply(points)
            origin += ", standardised (zero mean per coordinate, unit overall standard deviation)"
        }
        guard points[0].count == dimension else {
            throw ConfigError.invalidValue(
                path: reader.child(kind == "file" ? "path" : "name"),
                reason: "holds points of dimension \(points[0].count); set \"dimension\": \(points[0].count)")
        }
        self.init(points: points, source: TargetSource(origin: origin, standardization: standardization))
    }

    /// Reads a data file, mapping its problems to a config error on `field`.
    static func read(_ path: String, as format: DataFormat, field: String, baseDirectory: URL?) throws -> DataTable {
        let url =
            path.hasPrefix("/") || baseDirectory == nil
            ? URL(fileURLWithPath: path) : baseDirectory!.appendingPathComponent(path)
        let where_ = baseDirectory.map { " (relative paths start in \($0.path))" } ?? ""
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
            (attributes[.type] as? FileAttributeType) == .typeRegular, let size = attributes[.size] as? Int
        else {
            throw ConfigError.invalidValue(path: field, reason: "'\(path)' is not a readable file\(where_)")
        }
        do {
            // A uint8 .npy becomes 8 bytes per value; text becomes at most one value per 2 bytes.
            try MemoryBudget.check(Double(size) * 8, for: "reading \(path) (\(size) bytes)")
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw DataFileError("could not be read")
            }
            switch format {
            case .npy: return .npy(try NumPyArray(bytes: Array(data)))
            case .csv: return .csv(try CSVTable(text: String(decoding: data, as: UTF8.self)))
            }
        } catch let error as DataFileError {
            throw ConfigError.invalidValue(path: field, reason: "'\(path)' \(error)")
        }
    }

    /// The indices a `subset` object selects, in file order, and a phrase saying so.
    static func select(_ reader: JSONReader, count: Int, labels builtIn: [Double]?, baseDirectory: URL?) throws
        -> (indices: [Int], description: String)
    {
        try reader.rejectUnknownKeys(allowed: ["perClass", "labels", "indices"])
        if reader.has("indices") {
            if reader.has("perClass") || reader.has("labels") {
                throw ConfigError.invalidValue(
                    path: reader.child("indices"), reason: "cannot be combined with perClass; choose one")
            }
            let values = try reader.doubles("indices")
            var indices: [Int] = []
            for (k, value) in values.enumerated() {
                guard value == value.rounded(), value >= 0, value < Double(count) else {
                    throw ConfigError.invalidValue(
                        path: "\(reader.child("indices"))[\(k)]", reason: "is \(value); use a row index 0…\(count - 1)")
                }
                indices.append(Int(value))
            }
            guard !indices.isEmpty else {
                throw ConfigError.invalidValue(path: reader.child("indices"), reason: "is empty; list at least one row")
            }
            return (indices, "rows \(indices.count > 6 ? "\(indices.prefix(6))…" : "\(indices)") (\(indices.count))")
        }
        let perClass = try reader.positiveInt("perClass")
        let labels: [Double]
        if reader.has("labels") {
            let path = try reader.string("labels")
            labels = try read(
                path, as: DataFormat.of(path, in: reader, field: reader.child("labels")),
                field: reader.child("labels"), baseDirectory: baseDirectory
            ).labels(field: reader.child("labels"), path: path)
            if let bad = labels.firstIndex(where: { !($0.isFinite && $0 == $0.rounded()) }) {
                throw ConfigError.invalidValue(
                    path: reader.child("labels"),
                    reason: "'\(path)' has label \(labels[bad]) at row \(bad); labels must be whole numbers (class indices)")
            }
        } else if let builtIn {
            labels = builtIn
        } else {
            throw ConfigError.missingKey(path: reader.child("labels"))
        }
        guard labels.count == count else {
            throw ConfigError.invalidValue(
                path: reader.child("labels"),
                reason: "has \(labels.count) labels for \(count) points; give one per point")
        }
        var taken: [Double: Int] = [:]
        var indices: [Int] = []
        for (index, label) in labels.enumerated() where taken[label, default: 0] < perClass {
            taken[label, default: 0] += 1
            indices.append(index)
        }
        return (indices, "the first \(perClass) of each of \(taken.count) classes (\(indices.count) points)")
    }
}

/// A data file as read.
enum DataTable {
    case npy(NumPyArray)
    case csv(CSVTable)

    /// The table's rows, a problem with its shape named on `field` (the config key that gave `path`).
    func rows(field: String, path: String) throws -> [[Double]] {
        do {
            switch self {
            case let .npy(array): return try array.rows()
            case let .csv(table): return table.rows
            }
        } catch let error as DataFileError {
            throw ConfigError.invalidValue(path: field, reason: "'\(path)' \(error)")
        }
    }

    func labels(field: String, path: String) throws -> [Double] {
        do {
            switch self {
            case let .npy(array): return try array.vector()
            case let .csv(table):
                guard table.rows.allSatisfy({ $0.count == 1 }) else {
                    throw DataFileError("has several columns; labels need one value per line")
                }
                return table.rows.map { $0[0] }
            }
        } catch let error as DataFileError {
            throw ConfigError.invalidValue(path: field, reason: "'\(path)' \(error)")
        }
    }
}
