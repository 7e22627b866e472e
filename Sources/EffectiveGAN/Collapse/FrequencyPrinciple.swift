import Foundation
import LinearAlgebra

/// How fast a discriminator learns the patterns that tell modes apart, from the discriminator alone (no
/// simulation): the frequency principle made a number.
///
/// At the matched equilibrium the readout is zero, so the discriminator's tangent kernel (the NTK with respect to
/// its trained parameters) is that of its features: Θ(x, y) = s² Σ_k φ(w_k·x + b_k) φ(w_k·y + b_k) (+ 1 with an
/// output bias; inner weights, trained or not, do not move D there). Under WGAN ascent D learns the witness
/// function ∫Θ(·, y) d(μ_real − μ_fake) at rate η_D, pattern by pattern: on the K modes, the Gram operator
/// G = Θ_YY / K splits into the constant pattern (every mode alike: what moves a cloud as a whole) and the K − 1
/// contrasts (what sends particles to different modes). Their learning speeds are
///
///   κ_mean = 1ᵀ G 1 / K,    κ_sep = tr(P G P) / (K − 1),   P = I − 1 1ᵀ / K.
///
/// Smooth features (relu, tanh, sigmoid; cos of small weight std, i.e. wide bandwidth) have fast-decaying spectra
/// and learn contrasts slowly: κ_sep ≪ κ_mean. Closed form for random Fourier features: with w ~ N(0, σ_w² I) and b
/// uniform on [0, 2π), E[cos(w·x + b) cos(w·y + b)] = ½ e^{−σ_w²‖x − y‖²/2} = ½ e^{−δ²/(2σ²)} with bandwidth
/// σ = 1/σ_w; for two modes at distance δ, G = ¼ [[1, e], [e, 1]] (s² = 1/H, e = e^{−δ²/(2σ²)}), so
/// κ_mean = ¼(1 + e) (+ 1 with an output bias) and κ_sep = ¼(1 − e).
public struct DiscriminatorLearningSpeed: Sendable, Equatable {
    /// Learning speed of the constant pattern over the modes.
    public let mean: Double
    /// Mean learning speed of the K − 1 contrasts between modes.
    public let separation: Double
    /// The eigenvalues of G = Θ_YY / K, largest first: the discriminator's spectrum on the modes.
    public let spectrum: [Double]

    public init(model: EffectiveModel) throws {
        let modes = model.modes
        let count = modes.rows
        let features = model.discriminator.batch(at: modes, parameters: model.discriminator.equilibriumParameters)
            .parameterGradients()
        let gram = Matrix.product(features, features, transA: .transposed)
        var normalized = gram
        for i in 0..<count { for j in 0..<count { normalized[i, j] = gram[i, j] / Double(count) } }
        let total = (0..<count).reduce(0.0) { sum, i in (0..<count).reduce(sum) { $0 + normalized[i, $1] } }
        mean = total / Double(count)
        let trace = (0..<count).reduce(0.0) { $0 + normalized[$1, $1] }
        // tr(PGP) = tr(G) − 1ᵀG1/K.
        separation = count > 1 ? (trace - mean) / Double(count - 1) : 0
        spectrum = try normalized.symmetricEigenDecomposition().values.sorted(by: >)
    }

    /// κ_sep / κ_mean: the share of the discriminator's learning that goes into telling modes apart.
    public var ratio: Double { mean > 0 ? separation / mean : 0 }
}

/// The collapse boundary φ_c predicted from each row's discriminator, and how well it matches the measured one.
///
/// The generator moves the cloud as a whole through the kernel eigenvalue λ_col = η_G g₁(1 + (N − 1)φ)/N and moves
/// particles apart through λ_rel = η_G g₁(1 − φ)/N; write k = K_ii = η_G g₁/N. The discriminator learns the mean
/// pattern fast (κ_mean ≫ κ_sep), so the collective drift is limited by the generator alone: rate λ_col. A contrast
/// needs both sides — the discriminator learns it at η_D κ_sep, the generator follows at λ_rel — and the pair
/// rings at ω_sep = √(λ_rel η_D κ_sep) (the Dirac GAN's λ² + η_D γ λ + η_G η_D f′g′ = 0 for that pattern).
/// Particles reach different modes if the contrast outpaces the drift that carries them as one body:
/// ω_sep ≥ c λ_col, with one constant c for every discriminator. At the boundary
///
///   (1 + (N − 1)φ_c)² / (1 − φ_c) = η_D κ_sep / (c² k),
///
/// a quadratic in u = 1 + (N − 1)φ_c. φ_c rises like √η_D for small φ_c, and with κ_sep: discriminators that
/// learn high frequencies (narrow random Fourier features) keep particles apart at stronger coupling. c is the
/// one fitted number: the median over rows of the c each measured boundary implies (in-sample, and robust to the
/// rows whose φ_c sits at a grid end), or the c of one row (`calibrationRow`), every other row then predicted.
/// Spearman's ρ does not depend on c at all: R/c² orders the rows whatever c is.
public struct CollapsePrediction: Sendable {
    public struct Row: Sendable {
        public let speed: DiscriminatorLearningSpeed
        /// k = K_ii = η_G g₁/N.
        public let kernelDiagonal: Double
        public let discriminatorRate: Double
        public let measured: Double?
        public let predicted: Double?
    }

    /// c: the median over rows, or the calibration row's.
    public let constant: Double?
    /// The row c comes from, or nil for the median over all rows.
    public let calibrationRow: Int?
    public let rows: [Row]
    /// Spearman rank correlation of predicted and measured φ_c over the other rows where both exist.
    public let rankCorrelation: Double?
    /// Median of |predicted − measured| / measured over those rows.
    public let medianRelativeError: Double?
    /// How many rows entered the two numbers.
    public let compared: Int

    public init(study: CollapseStudy, rows measuredRows: [CollapseRow], calibrationRow: Int? = nil) throws {
        guard study.column == CollapseStudy.ratioPath else {
            throw InvalidSetting(.column, "must be the ratio φ (\(CollapseStudy.ratioPath)) to predict φ_c")
        }
        let inputs = try study.rowValues.indices.map { row -> (DiscriminatorLearningSpeed, Double, Double, Double) in
            let model = try study.model(row: row, ratio: study.ratios[0], seed: 1)
            // The drive is η_D κ_sep: an optimal discriminator has no rate, and no learning speed to predict from.
            guard let rate = model.learning.rate else {
                throw InvalidSetting(
                    .column, "cannot be predicted for an optimal discriminator (it has no learning rate η_D)")
            }
            return (
                try DiscriminatorLearningSpeed(model: model), model.resolved.kernel[0][0], rate,
                Double(model.particleCount)
            )
        }
        // R = η_D κ_sep/(c² k) without the c²: the drive of row `row`; N per row (a --vs may change it).
        let drive = { (row: Int) in inputs[row].2 * inputs[row].0.separation / inputs[row].1 }
        let n = { (row: Int) in inputs[row].3 }
        // The c a measured boundary strictly inside (0, 1) implies.
        let implied = { (row: Int) -> Double? in
            guard let measured = measuredRows[row].transition, measured > 0, measured < 1 else { return nil }
            let u = 1 + (n(row) - 1) * measured
            return (drive(row) / (u * u * (n(row) - 1) / (n(row) - u))).squareRoot()
        }
        let constant: Double?
        if let calibrationRow {
            constant = implied(calibrationRow)
        } else {
            constant = Self.median(measuredRows.indices.compactMap(implied))
        }
        self.constant = constant
        self.calibrationRow = calibrationRow
        let predictions = inputs.indices.map { row in
            let predicted = constant.map { c in Self.boundary(drive: drive(row) / (c * c), particles: n(row)) }
            return Row(
                speed: inputs[row].0, kernelDiagonal: inputs[row].1, discriminatorRate: inputs[row].2,
                measured: measuredRows[row].transition, predicted: predicted)
        }
        rows = predictions
        let pairs = predictions.indices.filter { $0 != calibrationRow }.compactMap { row -> (Double, Double)? in
            guard let p = predictions[row].predicted, let m = predictions[row].measured, m > 0 else { return nil }
            return (p, m)
        }
        compared = pairs.count
        rankCorrelation = pairs.count >= 3 ? Self.spearman(pairs.map(\.0), pairs.map(\.1)) : nil
        medianRelativeError = Self.median(pairs.map { abs($0.0 - $0.1) / $0.1 })
    }

    static func median(_ values: [Double]) -> Double? {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return nil }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// φ_c solving (1 + (N − 1)φ)²/(1 − φ) = R: with u = 1 + (N − 1)φ, (N − 1)u² + R u − R N = 0; clamped to
    /// [0, 1] (φ_c = 0 when even uncoupled particles collapse).
    static func boundary(drive r: Double, particles n: Double) -> Double {
        guard n > 1 else { return 0 }
        let u = (-r + (r * r + 4 * (n - 1) * r * n).squareRoot()) / (2 * (n - 1))
        return max(0, min(1, (u - 1) / (n - 1)))
    }

    /// Spearman's ρ: Pearson correlation of the ranks (ties share their mean rank).
    static func spearman(_ a: [Double], _ b: [Double]) -> Double? {
        func ranks(_ values: [Double]) -> [Double] {
            let order = values.indices.sorted { values[$0] < values[$1] }
            var result = [Double](repeating: 0, count: values.count)
            var start = 0
            while start < order.count {
                var end = start
                while end + 1 < order.count, values[order[end + 1]] == values[order[start]] { end += 1 }
                for k in start...end { result[order[k]] = Double(start + end) / 2 + 1 }
                start = end + 1
            }
            return result
        }
        let (x, y) = (ranks(a), ranks(b))
        let n = Double(x.count)
        let (mx, my) = (x.reduce(0, +) / n, y.reduce(0, +) / n)
        let covariance = zip(x, y).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
        let vx = x.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        let vy = y.reduce(0) { $0 + ($1 - my) * ($1 - my) }
        return vx > 0 && vy > 0 ? covariance / (vx * vy).squareRoot() : nil
    }
}
