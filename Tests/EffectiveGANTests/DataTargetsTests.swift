import Foundation
import Numerics
import Testing

@testable import EffectiveGAN

/// Issue #14: targets from .npy and CSV files and the bundled data sets.
@Suite("Data targets")
struct DataTargetsTests {
    /// A .npy file as NumPy writes it: magic, version, little-endian header length, padded header, payload.
    static func npy(descr: String, fortran: Bool = false, shape: [Int], payload: [UInt8], version: UInt8 = 1)
        -> [UInt8]
    {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(shapeText), }"
        let prefix = version == 1 ? 10 : 12
        while (prefix + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        let length = header.utf8.count
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [version, 0]
        bytes +=
            version == 1
            ? [UInt8(length & 0xFF), UInt8(length >> 8)] : (0..<4).map { UInt8((length >> (8 * $0)) & 0xFF) }
        return bytes + Array(header.utf8) + payload
    }

    static func littleEndian<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
        values.flatMap { value in withUnsafeBytes(of: value.littleEndian) { Array($0) } }
    }

    static let sample: [Double] = [0.5, -1.25, 3, 1e-300, 7, 2.75]

    @Test("each dtype reads exactly, in C order, header versions 1 and 2")
    func dtypes() throws {
        let f8 = Self.npy(descr: "<f8", shape: [2, 3], payload: Self.littleEndian(Self.sample.map(\.bitPattern)))
        #expect(try NumPyArray(bytes: f8).rows() == [[0.5, -1.25, 3], [1e-300, 7, 2.75]])
        let floats = Self.sample.map { Float($0) }
        let f4 = Self.npy(
            descr: "<f4", shape: [3, 2], payload: Self.littleEndian(floats.map(\.bitPattern)), version: 2)
        #expect(try NumPyArray(bytes: f4).rows() == [[0.5, -1.25], [3, Double(Float(1e-300))], [7, 2.75]])
        let u1 = Self.npy(descr: "|u1", shape: [2, 2], payload: [0, 16, 255, 7])
        #expect(try NumPyArray(bytes: u1).rows() == [[0, 16], [255, 7]])
        let i8 = Self.npy(descr: "<i8", shape: [4], payload: Self.littleEndian([Int64(3), -2, 0, 9]))
        #expect(try NumPyArray(bytes: i8).vector() == [3, -2, 0, 9])
    }

    static func npyError(_ bytes: [UInt8], rows: Bool = true) -> String {
        do {
            let array = try NumPyArray(bytes: bytes)
            _ = rows ? try array.rows().count : try array.vector().count
            return ""
        } catch {
            return "\(error)"
        }
    }

    @Test("strict header: Fortran order, objects, big-endian, rank, truncation and magic are refused with the fix")
    func npyErrors() {
        let payload = Self.littleEndian(Self.sample.map(\.bitPattern))
        #expect(
            Self.npyError(Self.npy(descr: "<f8", fortran: true, shape: [2, 3], payload: payload)).contains(
                "ascontiguousarray"))
        #expect(Self.npyError(Self.npy(descr: "|O", shape: [2], payload: [])).contains("Python objects"))
        #expect(Self.npyError(Self.npy(descr: ">f8", shape: [2, 3], payload: payload)).contains("big-endian"))
        #expect(Self.npyError(Self.npy(descr: "<c16", shape: [1], payload: payload)).contains("dtype <c16"))
        #expect(Self.npyError(Self.npy(descr: "<f8", shape: [6], payload: payload)).contains("2-D array"))
        #expect(Self.npyError(Self.npy(descr: "<f8", shape: [1, 2, 3], payload: payload)).contains("2-D array"))
        #expect(Self.npyError(Self.npy(descr: "<f8", shape: [2, 3], payload: payload), rows: false).contains("1-D"))
        #expect(
            Self.npyError(Self.npy(descr: "<f8", shape: [2, 3], payload: Array(payload.dropLast()))).contains(
                "truncated or padded"))
        #expect(Self.npyError(Array("not numpy at all".utf8)).contains("magic"))
        #expect(
            Self.npyError(Array(Self.npy(descr: "<f8", shape: [2, 3], payload: payload).prefix(20))).contains(
                "truncated"))
    }

    @Test("CSV: header row, comments and blank lines skipped; ragged rows and non-numbers named by line")
    func csv() throws {
        let table = try CSVTable(text: "x,y\n# a comment\n1, 2\n\n3.5,-4e-3\r\n")
        #expect(table.rows == [[1, 2], [3.5, -4e-3]])
        #expect(throws: DataFileError.self) { try CSVTable(text: "1,2\n3\n") }
        do {
            _ = try CSVTable(text: "1,2\n3,4,5\n")
        } catch {
            #expect("\(error)".contains("line 2 has 3 fields"))
        }
        do {
            _ = try CSVTable(text: "1,2\n3,abc\n")
        } catch {
            #expect("\(error)".contains("line 2, column 2: 'abc'"))
        }
        #expect(throws: DataFileError.self) { try CSVTable(text: "# nothing\n") }
    }

    /// A config file in its own folder with a data file beside it, read from elsewhere.
    static func configFolder(target: String, files: [String: [UInt8]]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("egan-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, bytes) in files { try Data(bytes).write(to: folder.appendingPathComponent(name)) }
        let config = """
            {"name": "data", "dimension": 3, "target": \(target),
             "generator": {"particles": 4, "kernel": {"kind": "universal", "ratio": 0.1}},
             "discriminator": {"kind": "mlp", "width": 8, "activation": "tanh", "train": "outer", "seed": 3},
             "loss": "wgan", "regularizer": {"kind": "r1", "strength": 1.0}}
            """
        try Data(config.utf8).write(to: folder.appendingPathComponent("config.json"))
        return folder
    }

    static let points: [[Double]] = [[1, 2, 3], [4, 0, 6], [7, 8, 1], [2, 2, 2]]
    static var pointsNpy: [UInt8] {
        npy(descr: "<f8", shape: [4, 3], payload: littleEndian(points.flatMap { $0 }.map(\.bitPattern)))
    }

    @Test("file targets: path relative to the config, standardised, recorded, and the resolved model round-trips")
    func fileTargets() throws {
        let folder = try Self.configFolder(
            target: #"{"kind": "file", "path": "points.npy", "standardize": true}"#,
            files: ["points.npy": Self.pointsNpy])
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = try ModelSource(folder.appendingPathComponent("config.json").path)
        let targets = source.resolved.targets
        #expect(targets.count == 4)
        for α in 0..<3 { #expect(abs(targets.reduce(0) { $0 + $1[α] }) <= 1e-14) }
        let variance = targets.flatMap { $0 }.reduce(0) { $0 + $1 * $1 } / 12
        #expect(variance.isApproximatelyEqual(to: 1, absoluteTolerance: 1e-14))
        let record = try #require(source.resolved.targetSource)
        #expect(record.origin.hasPrefix("file points.npy, all 4 points, standardised"))
        #expect(record.standardization?.mean == [3.5, 3, 3])
        // (x − mean) · scale gives the file's numbers back.
        let scale = try #require(record.standardization?.scale)
        #expect((targets[0][0] * scale + 3.5).isApproximatelyEqual(to: 1, absoluteTolerance: 1e-14))
        let reread = try ModelSource(json: source.resolved.json, defaultName: "reread")
        #expect(reread.resolved == source.resolved)
    }

    @Test("CSV file targets and subsets (per class with labels, or indices)")
    func subsets() throws {
        let rows = Self.points.map { $0.map { "\($0)" }.joined(separator: ",") }.joined(separator: "\n")
        let csv = Array(("a,b,c\n" + rows).utf8)
        let labels = Self.npy(descr: "<i8", shape: [4], payload: Self.littleEndian([Int64(0), 1, 0, 1]))
        let folder = try Self.configFolder(
            target: #"{"kind": "file", "path": "points.csv", "subset": {"perClass": 1, "labels": "labels.npy"}}"#,
            files: ["points.csv": csv, "labels.npy": labels])
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = try ModelSource(folder.appendingPathComponent("config.json").path)
        #expect(source.resolved.targets == [[1, 2, 3], [4, 0, 6]])
        let indices = JSONValue.object([("indices", .array([.integer(3), .integer(2)]))])
        let indexed = try ModelSource(
            json: source.document.setting(path: ["target", "subset"], to: indices), defaultName: "x",
            baseDirectory: folder)
        #expect(indexed.resolved.targets == [[2, 2, 2], [7, 8, 1]])
    }

    static func configError(_ target: String, files: [String: [UInt8]] = [:]) throws -> String {
        let folder = try configFolder(target: target, files: files)
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            _ = try ModelSource(folder.appendingPathComponent("config.json").path)
            return ""
        } catch {
            return "\(error)"
        }
    }

    @Test("bad data targets are one-line errors naming the field")
    func errors() throws {
        #expect(try Self.configError(#"{"kind": "file", "path": "missing.npy"}"#).contains("target.path"))
        #expect(try Self.configError(#"{"kind": "file", "path": "missing.npy"}"#).contains("relative paths start in"))
        let wide = Self.npy(descr: "<f8", shape: [2, 2], payload: Self.littleEndian([1.0, 2, 3, 4].map(\.bitPattern)))
        #expect(
            try Self.configError(#"{"kind": "file", "path": "w.npy"}"#, files: ["w.npy": wide]).contains(
                #"set "dimension": 2"#))
        #expect(
            try Self.configError(
                #"{"kind": "file", "path": "p.npy", "subset": {"perClass": 1}}"#, files: ["p.npy": Self.pointsNpy]
            )
            .contains("target.subset.labels"))
        #expect(
            try Self.configError(
                #"{"kind": "file", "path": "p.npy", "subset": {"indices": [9]}}"#, files: ["p.npy": Self.pointsNpy]
            )
            .contains("target.subset.indices[0]"))
        #expect(try Self.configError(#"{"kind": "dataset", "name": "cifar"}"#).contains("digits100, mnist100"))
        #expect(try Self.configError(#"{"kind": "file", "path": "p.npy", "modes": 3}"#).contains("target.modes"))
        for error in try [
            Self.configError(#"{"kind": "file", "path": "missing.npy"}"#),
            Self.configError(#"{"kind": "dataset", "name": "cifar"}"#),
        ] {
            #expect(!error.contains("\n"))
        }
    }

    /// FNV-1a (64-bit) of the shipped bytes: the copy in the package is the team's shared/data file (whose SHA-256
    /// the README lists), byte for byte.
    static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
        bytes.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }

    @Test("bundled data sets are intact: checksum, shape, classes, pixel range")
    func bundledIntegrity() throws {
        #expect(Self.fnv1a(BundledDataset.digits100.bytes) == 0xb37b_1eb6_9570_3c00)
        #expect(Self.fnv1a(BundledDataset.mnist100.bytes) == 0x18bb_3939_3ca2_8c03)
        let digits = try BundledDataset.digits100.contents()
        #expect(digits.images.count == 100 && digits.images.allSatisfy { $0.count == 64 })
        #expect((0..<10).allSatisfy { label in digits.labels.filter { $0 == Double(label) }.count == 10 })
        #expect(digits.images.flatMap { $0 }.allSatisfy { (0...16).contains($0) })
        #expect(digits.source.contains("CC BY 4.0"))
        let mnist = try BundledDataset.mnist100.contents()
        #expect(mnist.images.count == 100 && mnist.images.allSatisfy { $0.count == 784 })
        #expect(mnist.images.flatMap { $0 }.allSatisfy { (0...255).contains($0) })
        let common = try #require(mnist.commonNormalization)
        #expect(common.offset.isApproximatelyEqual(to: 255 * 0.1307, absoluteTolerance: 1e-12) && common.scale.isApproximatelyEqual(to: 255 * 0.3081, absoluteTolerance: 1e-12))
    }

    @Test("the digits100 preset: standardised digits, N = M = 100, d = 64")
    func digitsPreset() throws {
        let source = try ModelSource(preset: .digits100)
        let targets = source.resolved.targets
        #expect(targets.count == 100 && targets[0].count == 64)
        let variance = targets.flatMap { $0 }.reduce(0) { $0 + $1 * $1 } / 6400
        #expect(variance.isApproximatelyEqual(to: 1, absoluteTolerance: 1e-12))
        #expect(source.resolved.targetSource?.origin.hasPrefix("digits100: UCI Optical Recognition") == true)
    }
}
