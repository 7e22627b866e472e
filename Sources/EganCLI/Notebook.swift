import ArgumentParser
import Foundation

/// A text notebook: Markdown whose fenced cells of language `egan` are commands, each followed by a fenced
/// `output` block holding what the command printed, and by an image line `![egan figure](PATH)` for every SVG the
/// cell wrote (an argument ending in `.svg`), so a Markdown viewer shows the figure inline.
///
/// Cells run in the notebook's own folder: `configs/ring5.json` in a cell means the file beside the notebook,
/// wherever `egan notebook` is started from.
///
/// Outputs are compared number by number: text must match exactly, and numbers to a relative tolerance stated in
/// the notebook by a line `<!-- egan-notebook: tolerance 1e-6 -->` (default 1e-6), or within an absolute
/// tolerance, default 1e-12 (rounding noise at zero differs between BLAS kernels). A notebook that prints
/// quantities made of rounding noise (the fit errors of a cross-check) states a larger one:
/// `<!-- egan-notebook: tolerance 1e-5 absolute 1e-7 -->`.
struct Notebook {
    enum Block {
        case text(String)
        /// An `egan` cell: its command lines, the output stored below it (nil if none yet), and the figures it
        /// wrote (paths relative to the notebook).
        case cell(commands: [String], output: String?, figures: [String])
    }

    var blocks: [Block]
    /// Relative tolerance for numbers.
    var tolerance: Double
    /// Absolute tolerance for numbers.
    var absoluteTolerance: Double

    static let defaultTolerance = 1e-6
    static let defaultAbsoluteTolerance = 1e-12

    init(parsing text: String) {
        var blocks: [Block] = []
        var prose: [String] = []
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        var index = 0
        func fenced(from start: Int) -> (body: [String], next: Int) {
            var k = start + 1
            var body: [String] = []
            while k < lines.count, lines[k].trimmingCharacters(in: .whitespaces) != "```" {
                body.append(lines[k])
                k += 1
            }
            return (body, k + 1)
        }
        while index < lines.count {
            let line = lines[index]
            if line.trimmingCharacters(in: .whitespaces) == "```egan" {
                if !prose.isEmpty { blocks.append(.text(prose.joined(separator: "\n"))) }
                prose = []
                let (commands, next) = fenced(from: index)
                index = next
                var lookahead = index
                while lookahead < lines.count, lines[lookahead].trimmingCharacters(in: .whitespaces).isEmpty {
                    lookahead += 1
                }
                var output: String?
                var figures: [String] = []
                if lookahead < lines.count, lines[lookahead].trimmingCharacters(in: .whitespaces) == "```output" {
                    let (body, after) = fenced(from: lookahead)
                    output = body.map { $0 + "\n" }.joined()
                    index = after
                    // The figure lines the runner wrote: a blank line, then one image line each.
                    while index + 1 < lines.count, lines[index].isEmpty,
                        let figure = Self.figurePath(lines[index + 1])
                    {
                        figures.append(figure)
                        index += 2
                    }
                }
                blocks.append(
                    .cell(
                        commands: commands.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }, output: output,
                        figures: figures))
            } else {
                prose.append(line)
                index += 1
            }
        }
        if !prose.isEmpty { blocks.append(.text(prose.joined(separator: "\n"))) }
        self.blocks = blocks
        tolerance = Self.directive("tolerance", in: text) ?? Self.defaultTolerance
        absoluteTolerance = Self.directive("absolute", in: text) ?? Self.defaultAbsoluteTolerance
    }

    /// Refuses a directive line whose words are not `tolerance X` or `absolute X` with X a positive number, so a
    /// typo cannot silently fall back to the default tolerance.
    static func checkDirectives(_ text: String, path: String) throws {
        for line in text.split(separator: "\n") where line.contains("egan-notebook:") {
            guard let start = line.range(of: "egan-notebook:"), let end = line.range(of: "-->") else {
                throw ValidationError("\(path): the egan-notebook directive must end with -->")
            }
            let words = line[start.upperBound..<end.lowerBound].split(separator: " ").map(String.init)
            guard words.count % 2 == 0 else {
                throw ValidationError(
                    "\(path): write the directive as 'tolerance 1e-6 absolute 1e-12' (got '\(words.joined(separator: " "))')"
                )
            }
            for pair in stride(from: 0, to: words.count, by: 2) {
                guard ["tolerance", "absolute"].contains(words[pair]) else {
                    throw ValidationError("\(path): unknown directive '\(words[pair])'; use tolerance or absolute")
                }
                guard let value = Double(words[pair + 1]), value > 0, value.isFinite else {
                    throw ValidationError(
                        "\(path): \(words[pair]) '\(words[pair + 1])' must be a positive number such as 1e-6")
                }
            }
        }
    }

    /// The number after `key` in the notebook's `<!-- egan-notebook: … -->` line.
    static func directive(_ key: String, in text: String) -> Double? {
        let pattern = #"<!--\s*egan-notebook:[^>]*\b"# + key + #"\s+([0-9.eE+-]+)[^>]*-->"#
        guard let range = text.range(of: pattern, options: .regularExpression) else { return nil }
        return Double(text[range].replacingOccurrences(of: pattern, with: "$1", options: .regularExpression))
    }

    static let figurePrefix = "![egan figure]("

    /// `![egan figure](PATH)`: the image line under a cell that wrote the SVG file PATH.
    static func figureLine(_ path: String) -> String { figurePrefix + path + ")" }

    /// PATH of an image line the runner wrote, or nil for any other line (a user's own images stay prose).
    static func figurePath(_ line: String) -> String? {
        guard line.hasPrefix(figurePrefix), line.hasSuffix(")") else { return nil }
        return String(line.dropFirst(figurePrefix.count).dropLast())
    }

    /// The Markdown text, every cell followed by its output block and figures.
    var text: String {
        blocks.map { block -> String in
            switch block {
            case let .text(prose):
                return prose + "\n"
            case let .cell(commands, output, figures):
                var cell = "```egan\n" + commands.map { $0 + "\n" }.joined() + "```\n"
                if let output { cell += "\n```output\n" + output + "```\n" }
                for figure in figures { cell += "\n" + Self.figureLine(figure) + "\n" }
                return cell
            }
        }.joined()
    }

    /// Splits a line into text between numbers and the numbers themselves. Wall times — a number followed by " s",
    /// or a JSON `"wallTime"` — become the word "time" first: they measure the machine, not the model, so a
    /// notebook re-run elsewhere must not fail on them.
    static func tokens(_ line: String) -> (skeleton: String, numbers: [Double]) {
        let number = #"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"#
        let line = line.replacingOccurrences(of: number + #" s\b"#, with: "time s", options: .regularExpression)
            .replacingOccurrences(
                of: #""wallTime": "# + number, with: #""wallTime": time"#, options: .regularExpression)
        let pattern = number
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return (line, []) }
        let range = NSRange(line.startIndex..., in: line)
        let numbers = regex.matches(in: line, range: range).compactMap {
            Range($0.range, in: line).flatMap { Double(line[$0]) }
        }
        return (regex.stringByReplacingMatches(in: line, range: range, withTemplate: "#"), numbers)
    }

    /// Whether two outputs agree: identical text between numbers, numbers within the tolerance.
    static func agree(_ stored: String, _ fresh: String, tolerance: Double, absolute: Double = defaultAbsoluteTolerance)
        -> [(
            line: Int, stored: String, fresh: String
        )]
    {
        let a = stored.components(separatedBy: "\n")
        let b = fresh.components(separatedBy: "\n")
        var differences: [(Int, String, String)] = []
        for k in 0..<max(a.count, b.count) {
            let left = k < a.count ? a[k] : ""
            let right = k < b.count ? b[k] : ""
            if left == right { continue }
            let (skeletonA, numbersA) = tokens(left)
            let (skeletonB, numbersB) = tokens(right)
            let same =
                skeletonA == skeletonB && numbersA.count == numbersB.count
                && zip(numbersA, numbersB).allSatisfy { x, y in
                    abs(x - y) <= max(absolute, tolerance * max(abs(x), abs(y)))
                }
            if !same { differences.append((k + 1, left, right)) }
        }
        return differences
    }
}

/// Splits a cell line into arguments: whitespace-separated, with single or double quotes grouping.
func shellWords(_ line: String) -> [String] {
    var words: [String] = []
    var current = ""
    var quote: Character?
    var inWord = false
    for character in line {
        if let q = quote {
            if character == q { quote = nil } else { current.append(character) }
        } else if character == "\"" || character == "'" {
            quote = character
            inWord = true
        } else if character.isWhitespace {
            if inWord { words.append(current) }
            current = ""
            inWord = false
        } else {
            current.append(character)
            inWord = true
        }
    }
    if inWord { words.append(current) }
    return words
}
