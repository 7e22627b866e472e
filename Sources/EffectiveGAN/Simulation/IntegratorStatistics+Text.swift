import GSLBridge

extension IntegratorStatistics {
    /// `{"steps", "rejectedSteps", "rhsEvaluations", "jacobianEvaluations", "wallTime"}` (wall time in seconds).
    public var json: JSONValue {
        .object([
            ("steps", .integer(steps)), ("rejectedSteps", .integer(rejectedSteps)),
            ("rhsEvaluations", .integer(rhsEvaluations)), ("jacobianEvaluations", .integer(jacobianEvaluations)),
            ("wallTime", .number(wallTime)),
        ])
    }

    /// One line for tables: "1234 steps (5 rejected), 16049 right-hand sides, 0 Jacobians, 0.41 s".
    public var summary: String {
        "\(steps) steps (\(rejectedSteps) rejected), \(rhsEvaluations) right-hand sides, \(jacobianEvaluations) Jacobians, \(Format.number(wallTime, digits: 3)) s"
    }
}

extension IntegratorStatistics {
    /// Reads `json` back (resume files); nil when a field is missing.
    init?(json: JSONValue) {
        func count(_ key: String) -> Int? {
            guard case let .number(value)? = json[key] else { return nil }
            return Int(exactly: value)
        }
        guard let steps = count("steps"), let rejected = count("rejectedSteps"), let rhs = count("rhsEvaluations"),
            let jacobians = count("jacobianEvaluations"), case let .number(wall)? = json["wallTime"]
        else { return nil }
        self.init(
            steps: steps, rejectedSteps: rejected, rhsEvaluations: rhs, jacobianEvaluations: jacobians, wallTime: wall)
    }
}
