import EffectiveGAN
import Foundation
import LinearAlgebra

/// The report's SVG figures, each drawn with `SVGPlot`.
extension ReportAnalysis {
    /// (name, SVG) for every figure; positions from d = 2 on (above, in the plane of the targets' principal
    /// components). `ReportWriter` names the files `NAME-HASH.svg` by content.
    public var figures: [(name: String, svg: String)] {
        var list = [
            ("rate", rateFigure.render()), ("branches", branchFigure.render()),
            ("relaxation", relaxationFigure.render()),
        ]
        if model.dimension >= 2 { list.append(("positions", positionsFigure.render())) }
        return list
    }

    /// r(γ) on log–log axes, regimes shaded, γ* and the critical points marked.
    public var rateFigure: SVGPlot {
        var plot = SVGPlot(
            title: "\(source.name): convergence rate against regulariser strength", xLabel: "regulariser strength γ",
            yLabel: "convergence rate r = −max Re λ", xScale: .log, yScale: .log)
        let points = optimum.scan.points
        plot.series.append(
            SVGPlot.Series(name: "r(γ)", points: points.map { ($0.value, $0.spectrum.rate) }, color: Palette.blue))
        plot.bands = regimeBands
        plot.legendAtBottom = true
        plot.markers =
            [
                SVGPlot.Marker(
                    x: optimum.gamma, label: "γ* = \(Format.number(optimum.gamma))", color: Palette.red, dashed: false)
            ]
            + optimum.criticalPoints.map {
                SVGPlot.Marker(x: $0.value, label: "critical γ = \(Format.number($0.value))", color: Palette.purple)
            }
        return plot
    }

    /// Shaded intervals of equal regime, split half-way between grid points (or at a critical point).
    var regimeBands: [SVGPlot.Band] {
        let points = optimum.scan.points
        var bands: [SVGPlot.Band] = []
        var start = points[0].value
        var seen = Set<Regime>()
        for k in 1...points.count {
            let ends = k == points.count || points[k].spectrum.regime != points[k - 1].spectrum.regime
            guard ends else { continue }
            let regime = points[k - 1].spectrum.regime
            let end: Double
            if k == points.count {
                end = points[k - 1].value
            } else {
                end =
                    optimum.criticalPoints.first { $0.value > points[k - 1].value && $0.value <= points[k].value }?
                    .value
                    ?? (points[k - 1].value * points[k].value).squareRoot()
            }
            let color: String
            switch regime {
            case .underdamped: color = Palette.underdamped
            case .overdamped: color = Palette.overdamped
            case .unstable: color = Palette.unstable
            case .marginal, .neutral: color = Palette.marginal
            }
            bands.append(
                SVGPlot.Band(from: start, to: end, color: color, label: seen.contains(regime) ? "" : regime.rawValue))
            seen.insert(regime)
            start = end
        }
        return bands.filter { !$0.label.isEmpty } + bands.filter(\.label.isEmpty)
    }

    /// Every tracked eigenvalue branch in the complex plane, coloured by γ (dark: small γ, light: large γ).
    public var branchFigure: SVGPlot {
        var plot = SVGPlot(
            title: "\(source.name): eigenvalue branches in the complex plane", xLabel: "Re λ", yLabel: "Im λ")
        let count = optimum.scan.points.count
        let colors = (0..<count).map { Palette.ramp(Double($0) / Double(max(1, count - 1))) }
        let first = Format.number(optimum.scan.points.first!.value)
        let last = Format.number(optimum.scan.points.last!.value)
        plot.caption = "colour: γ from \(first) (dark purple) to \(last) (yellow), log-spaced"
        for (index, branch) in branches.enumerated() {
            plot.series.append(
                SVGPlot.Series(
                    name: "branch \(index + 1)", points: branch.eigenvalues.map { ($0.real, $0.imaginary) },
                    style: .markers,
                    color: Palette.grey, pointColors: colors, inLegend: false))
        }
        return plot
    }

    /// The simulated particle distance after a small perturbation at γ*, against the linear envelope A e^{−r t}
    /// with r = r(γ*) and A fitted to all positive samples (least squares in log d), not anchored at one point.
    public var relaxationFigure: SVGPlot {
        var plot = SVGPlot(
            title: "\(source.name): relaxation at γ* = \(Format.number(optimum.gamma))", xLabel: "time t",
            yLabel: "particle distance to equilibrium", yScale: .log)
        let pairs = zip(relaxation.times, relaxation.observables.map(\.distance)).map { ($0, $1) }
        let method = integrator.description == "rk8pd" ? "rk8pd" : "gradient steps"
        plot.series.append(SVGPlot.Series(name: "simulation (\(method))", points: pairs, color: Palette.blue))
        let positive = pairs.filter { $0.1 > 0 && $0.1.isFinite }
        if !positive.isEmpty {
            let logAmplitude = positive.reduce(0) { $0 + log($1.1) + optimum.rate * $1.0 } / Double(positive.count)
            let envelope = relaxation.times.map { t in (t, exp(logAmplitude - optimum.rate * t)) }
            plot.series.append(
                SVGPlot.Series(
                    name: "linear envelope ∝ e^(−r t), r = \(Format.number(optimum.rate))", points: envelope,
                    color: Palette.red, dashed: true))
        }
        return plot
    }

    /// Particles at the start and the end of a run from generator.init at γ*, over the targets: the plane itself in
    /// d = 2, the line in d = 1, and above two dimensions the plane of the targets' two principal components
    /// (centred on their mean), where the spread of the data is largest.
    public var positionsFigure: SVGPlot {
        let projection = TargetProjection(targets: source.resolved.targets)
        var plot = SVGPlot(
            title: "\(source.name): particles from generator.init at γ*", xLabel: projection.labels.x,
            yLabel: projection.labels.y)
        plot.caption = "t = 0 → \(Format.number(fromInit.times.last ?? 0)) (10/r), γ* = \(Format.number(optimum.gamma))"
        let d = model.dimension
        let targets = source.resolved.targets.map(projection.apply)
        let particles = { (state: [Double]) in
            stride(from: 0, to: self.model.particleBlockLength, by: d).map {
                projection.apply(Array(state[$0..<($0 + d)]))
            }
        }
        let start = particles(fromInit.states.first!)
        let end = particles(fromInit.finalState)
        plot.series = [
            SVGPlot.Series(name: "targets", points: targets, style: .markers, color: Palette.grey),
            SVGPlot.Series(name: "particles at t = 0", points: start, style: .markers, color: Palette.blue),
            SVGPlot.Series(name: "particles at the end", points: end, style: .markers, color: Palette.orange),
        ]
        let all = targets + start + end
        let span = max(all.map { abs($0.0) }.max() ?? 1, all.map { abs($0.1) }.max() ?? 1) * 1.15
        plot.xRange = (-span, span)
        plot.yRange = (-span, span)
        plot.width = 560
        plot.height = 560
        return plot
    }
}

/// Coordinates for drawing points of any dimension in a plane: identity for d = 2, (x, 0) for d = 1, and the targets'
/// two leading principal components above (LAPACK `dsyevd` on their covariance).
struct TargetProjection {
    let mean: [Double]
    /// Two orthonormal directions (d ≥ 3), or nil.
    let axes: (x: [Double], y: [Double])?
    let dimension: Int

    init(targets: [[Double]]) {
        let d = targets.first?.count ?? 0
        dimension = d
        let count = Double(targets.count)
        mean = (0..<d).map { α in targets.reduce(0) { $0 + $1[α] } / count }
        guard d > 2 else {
            axes = nil
            return
        }
        // Centred data as a d × M matrix; its Gram (1/M) X Xᵀ is the covariance.
        var centred = Matrix(rows: d, columns: targets.count)
        for (m, point) in targets.enumerated() { for α in 0..<d { centred[α, m] = point[α] - mean[α] } }
        guard let decomposition = try? Matrix.product(centred, centred.transposed).symmetricEigenDecomposition() else {
            axes = nil
            return
        }
        axes = ((0..<d).map { decomposition.vectors[$0, d - 1] }, (0..<d).map { decomposition.vectors[$0, d - 2] })
    }

    var labels: (x: String, y: String) {
        switch dimension {
        case 1: return ("x", "")
        case 2: return ("x₁", "x₂")
        default: return ("principal component 1 of the targets", "principal component 2")
        }
    }

    func apply(_ point: [Double]) -> (Double, Double) {
        guard let axes else { return (point[0], dimension > 1 ? point[1] : 0) }
        let centred = zip(point, mean).map { $0 - $1 }
        return (
            zip(centred, axes.x).reduce(0) { $0 + $1.0 * $1.1 }, zip(centred, axes.y).reduce(0) { $0 + $1.0 * $1.1 }
        )
    }
}
