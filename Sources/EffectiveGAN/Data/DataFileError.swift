/// Why a data file (targets, labels) could not be used: what is wrong with it and how to fix it, in one line.
public struct DataFileError: Error, CustomStringConvertible, Sendable {
    public let description: String

    init(_ description: String) { self.description = description }
}
