import EffectiveGAN
import Foundation

/// The JSON (schema `egan.transfer/1`) and table forms of a kernel transfer check: γ* by each description of
/// the generator, with gaps relative to the empirical kernel Θ(w*).
public enum TransferForms {
    /// value / base − 1, nil when either is missing or the base is 0.
    static func gap(_ value: Double?, _ base: Double?) -> Double? {
        guard let value, let base, base != 0 else { return nil }
        return value / base - 1
    }

    public static func json(_ transfer: KernelTransfer, name: String) -> JSONValue {
        let reference = transfer.reference
        return .object([
            ("schema", .string("egan.transfer/1")), ("model", .string(name)),
            (
                "rows",
                .array(
                    transfer.rows.map { row in
                        .object([
                            ("kernel", .string(row.description.rawValue)), ("description", .string(row.kernel)),
                            ("gamma", row.optimum.map { .number($0.gamma) } ?? .null),
                            ("rate", row.optimum.map { .number($0.rate) } ?? .null),
                            ("gammaGap", gap(row.optimum?.gamma, reference?.gamma).map(JSONValue.number) ?? .null),
                            ("rateGap", gap(row.optimum?.rate, reference?.rate).map(JSONValue.number) ?? .null),
                            ("unavailable", row.unavailable.map(JSONValue.string) ?? .null),
                            ("measuredRate", row.measuredRate.map(JSONValue.number) ?? .null),
                        ])
                    })
            ),
        ])
    }

    /// - Parameter measured: whether the network was trained at each γ* (adds its fitted rate as a column).
    public static func table(_ transfer: KernelTransfer, name: String, measured: Bool) -> String {
        let reference = transfer.reference
        func percent(_ value: Double?) -> String { value.map { Format.number(100 * $0, digits: 3) + " %" } ?? "—" }
        let rows = transfer.rows.map { row -> [String] in
            let γ = row.optimum.map { Format.refined($0.gamma) } ?? "—"
            let r = row.optimum.map { Format.refined($0.rate) } ?? "—"
            var cells = [
                row.description.rawValue, γ, r, percent(gap(row.optimum?.gamma, reference?.gamma)),
                percent(gap(row.optimum?.rate, reference?.rate)),
            ]
            if measured { cells.append(row.measuredRate.map { Format.number($0, digits: 6) } ?? "—") }
            cells.append(row.unavailable ?? row.kernel)
            return cells
        }
        let header =
            ["kernel", "γ*", "r(γ*)", "γ* gap", "r gap"] + (measured ? ["network r at γ*"] : []) + ["kernel used"]
        return
            "\(name): γ* of the network by three descriptions of its generator (gaps relative to the empirical kernel Θ(w*))\n"
            + TextTable.render(header: header, rows: rows)
    }
}
