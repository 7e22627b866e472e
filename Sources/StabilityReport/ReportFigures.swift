import EffectiveGAN
import Foundation
import LinearAlgebra

/// The report's SVG figures, each drawn with `SVGPlot`.
extension ReportAnalysis {
    /// Every figure a report can have, in report order (the writer removes stale files of these names only).
    public static let figureNames = [
        "rate", "branches", "branches-slow", "rates-vs-gamma", "frequencies-vs-gamma", "relaxation", "positions",
    ]

    /// (name, SVG) for every figure; positions from d = 2 on (above, in the plane of the targets' principal
    /// components). `ReportWriter` names the files `NAME-HASH.svg` by content.
    public var figures: [(name: String, svg: String)] {
        var list = [
            ("rate", rateFigure.render()), ("branches", branchFigure().render()),
            ("branches-slow", branchFigure(slowZoom: 4).render()),
            ("rates-vs-gamma", spectrumAgainstGammaFigure(imaginary: false).render()),
            ("frequencies-vs-gamma", spectrumAgainstGammaFigure(imaginary: true).render()),
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

    /// Every tracked eigenvalue branch in the complex plane, coloured by γ on a log colour bar, with the
    /// eigenvalues at γ* ringed in red. `slowZoom`: show only Re λ ∈ [−slowZoom·r(γ*), slowZoom·r(γ*)/8], where
    /// the slow modes live: on the full plane fast modes stretch the Re axis (to −180 on ring8) and the slow ones
    /// collapse onto the imaginary axis.
    public func branchFigure(slowZoom: Double? = nil) -> SVGPlot {
        let points = optimum.scan.points
        let zoomed = slowZoom != nil
        var plot = SVGPlot(
            title:
                "\(source.name): \(zoomed ? "slow eigenvalue branches, near the imaginary axis" : "eigenvalue branches in the complex plane")",
            xLabel: "Re λ (decay rate, per unit of the flow's time t)",
            yLabel: "Im λ (angular frequency, rad per unit t)")
        let bar = SVGPlot.ColorBar(
            label: "regulariser strength γ", low: points.first!.value, high: points.last!.value, scale: .log)
        plot.colorBar = bar
        let colors = points.map { Palette.ramp(bar.fraction($0.value)) }
        plot.caption =
            "each dot one eigenvalue at one γ of the scan; red: the spectrum at γ* = \(Format.number(optimum.gamma))"
        for (index, branch) in branches.enumerated() {
            plot.series.append(
                SVGPlot.Series(
                    name: "branch \(index + 1)", points: branch.eigenvalues.map { ($0.real, $0.imaginary) },
                    style: .markers, color: Palette.grey, pointColors: colors, inLegend: false))
        }
        let atOptimum = spectra[1].analysis.spectrum.modes.filter { $0.kind != .neutral }.map {
            ($0.eigenvalue.real, $0.eigenvalue.imaginary)
        }
        plot.series.append(
            SVGPlot.Series(
                name: "at γ* = \(Format.number(optimum.gamma))", points: atOptimum, style: .markers, color: Palette.red)
        )
        if let slowZoom {
            let r = max(optimum.rate, 1e-12)
            let window = (-slowZoom * r, slowZoom * r / 8)
            let inside = (branches.flatMap(\.eigenvalues).map { ($0.real, $0.imaginary) } + atOptimum).filter {
                $0.0 >= window.0 && $0.0 <= window.1
            }
            let height = max(inside.map { abs($0.1) }.max() ?? r, r) * 1.08
            plot.xRange = window
            plot.yRange = (-height, height)
            plot.markers = [
                SVGPlot.Marker(x: -r, label: "Re λ = −r(γ*) = −\(Format.number(r))", color: Palette.red)
            ]
        }
        return plot
    }

    /// An oscillator branch meeting the real axis (an exceptional point, its own critical damping) between two
    /// grid points of the scan: located on the grid (the geometric middle of the bracketing interval), which is
    /// what a figure needs; `Sweep.branchMerges` refines them when a number is wanted.
    struct GridExceptionalPoint {
        let gamma: Double
        /// −Re λ of the pair on its oscillatory side of the interval.
        let rate: Double
    }

    var gridExceptionalPoints: [GridExceptionalPoint] {
        let points = optimum.scan.points
        return optimum.scan.branchSwitches(branches).map { branch, k, oscillatoryBefore in
            let oscillating = branches[branch].eigenvalues[oscillatoryBefore ? k - 1 : k]
            return GridExceptionalPoint(
                gamma: (points[k - 1].value * points[k].value).squareRoot(), rate: -oscillating.real)
        }.sorted { $0.rate < $1.rate }
    }

    /// Re λ or Im λ of every branch against γ, the way continuation tools draw bifurcation diagrams: decay rates
    /// −Re λ on log axes (`imaginary: false`) or frequencies Im λ ≥ 0 (`imaginary: true`); γ* and the critical
    /// points as vertical lines, exceptional points (where an oscillating pair lands on the real axis) as black
    /// dots, the slowest labelled (up to six, without overlaps).
    public func spectrumAgainstGammaFigure(imaginary: Bool) -> SVGPlot {
        let points = optimum.scan.points
        var plot = SVGPlot(
            title: "\(source.name): \(imaginary ? "frequencies Im λ" : "decay rates −Re λ") of every branch against γ",
            xLabel: "regulariser strength γ",
            yLabel: imaginary ? "Im λ (rad per unit t)" : "decay rate −Re λ (per unit t)", xScale: .log,
            yScale: imaginary ? .linear : .log)
        for (index, branch) in branches.enumerated() {
            let values = zip(points, branch.eigenvalues).compactMap { point, λ -> (Double, Double)? in
                if imaginary { return λ.imaginary >= 0 ? (point.value, λ.imaginary) : nil }
                return (point.value, -λ.real)
            }
            plot.series.append(
                SVGPlot.Series(name: "branch \(index + 1)", points: values, color: "#9aa7b8", inLegend: false))
        }
        if !imaginary {
            plot.series.append(
                SVGPlot.Series(
                    name: "slowest rate r(γ)", points: points.map { ($0.value, $0.spectrum.rate) }, color: Palette.blue)
            )
        }
        let exceptional = gridExceptionalPoints
        plot.series.append(
            SVGPlot.Series(
                name: "exceptional points (pair meets the real axis)",
                points: exceptional.map { ($0.gamma, imaginary ? 0 : $0.rate) }, style: .markers, color: "#000000"))
        plot.markers =
            [
                SVGPlot.Marker(
                    x: optimum.gamma, label: "γ* = \(Format.number(optimum.gamma))", color: Palette.red, dashed: false)
            ]
            + optimum.criticalPoints.map {
                SVGPlot.Marker(
                    x: $0.value, label: "critical γ = \(Format.number($0.value)) (\($0.mechanism.rawValue))",
                    color: Palette.purple)
            }
        plot.legendAtBottom = !imaginary
        // Labels for the slowest exceptional points first, each only where it overlaps no label already placed
        // (they cluster: ring8 has a dozen between γ = 2 and 8), and at most six.
        var placed: [(x: Double, y: Double, width: Double)] = []
        for point in exceptional where placed.count < 6 {
            let text = "EP γ≈\(Format.number(point.gamma, digits: 3))"
            let y = imaginary ? 0 : point.rate
            let (px, py, width) = (plot.pixelX(point.gamma), plot.pixelY(y), 6.5 * Double(text.count))
            guard !placed.contains(where: { abs($0.y - py) < 14 && px < $0.x + $0.width + 6 && $0.x < px + width + 6 })
            else { continue }
            placed.append((px, py, width))
            plot.annotations.append(SVGPlot.Annotation(x: point.gamma, y: y, text: text, color: "#000000"))
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
