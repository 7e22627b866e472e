import Foundation
import Testing

/// Issue #26: the README stays a short front page, and every link in it and in `docs/` resolves in a clone.
@Suite("Documentation")
struct DocumentationTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// README, CHANGELOG and every page under docs/.
    static func pages() throws -> [URL] {
        let docs = repository.appendingPathComponent("docs")
        let names = try FileManager.default.contentsOfDirectory(atPath: docs.path).filter { $0.hasSuffix(".md") }
        return [repository.appendingPathComponent("README.md"), repository.appendingPathComponent("CHANGELOG.md")]
            + names.sorted().map { docs.appendingPathComponent($0) }
    }

    /// The targets of Markdown links `[text](target)`, without titles.
    static func links(in text: String) -> [String] {
        let pattern = try! NSRegularExpression(pattern: #"\]\(([^)\s]+)\)"#)
        let range = NSRange(text.startIndex..., in: text)
        return pattern.matches(in: text, range: range).compactMap { match in
            Range(match.range(at: 1), in: text).map { String(text[$0]) }
        }
    }

    @Test("every relative link in README, CHANGELOG and docs/ names a file of the repository")
    func linksResolve() throws {
        var checked = 0
        for page in try Self.pages() {
            let text = try String(contentsOf: page, encoding: .utf8)
            for link in Self.links(in: text) where !link.contains("://") && !link.hasPrefix("#") {
                let path = String(link.split(separator: "#", maxSplits: 1)[0])
                let target = page.deletingLastPathComponent().appendingPathComponent(path).standardizedFileURL
                #expect(
                    FileManager.default.fileExists(atPath: target.path),
                    "\(page.lastPathComponent): \(link) does not resolve")
                #expect(
                    target.path.hasPrefix(Self.repository.standardizedFileURL.path),
                    "\(page.lastPathComponent): \(link) leaves the repository")
                checked += 1
            }
        }
        #expect(checked >= 20, "only \(checked) links found")
    }

    @Test("the README is a front page of at most 150 lines")
    func readmeIsShort() throws {
        let readme = try String(contentsOf: Self.repository.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.split(separator: "\n", omittingEmptySubsequences: false).count <= 150)
    }

    /// docs/model.md is the shared contract inside the package; where the shared copy is beside the clone (the
    /// developers' machines and CI), the two must be the same text.
    @Test("docs/model.md is the mathematical contract, in step with the shared spec")
    func modelInStep() throws {
        let shared = Self.repository.deletingLastPathComponent().appendingPathComponent("shared/spec/MODEL.md")
        let model = try String(contentsOf: Self.repository.appendingPathComponent("docs/model.md"), encoding: .utf8)
        #expect(model.contains("K = (η_G/N)·Θ"))
        guard let spec = try? String(contentsOf: shared, encoding: .utf8) else { return }
        #expect(model == spec, "docs/model.md differs from ../shared/spec/MODEL.md: copy it over")
    }
}
