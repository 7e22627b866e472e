import Foundation
import EffectiveGAN

/// A small, dependency-free SVG plot: axes with ticks and labels (linear or log), line and marker series, shaded
/// vertical bands, vertical reference lines and a legend. Every figure of a report is drawn by this one type.
///
/// Data points map to pixels through `pixelX`/`pixelY`, which tests use to check that what is drawn is the data.
/// Each series is emitted as an element with `data-series="NAME"`, so it can be found again in the file.
public struct SVGPlot {
    public enum Scale: Sendable { case linear, log }

    public struct Series {
        public enum Style { case line, markers, lineAndMarkers }
        public var name: String
        public var points: [(Double, Double)]
        public var style: Style
        public var color: String
        public var dashed: Bool
        /// Per-point marker colours (e.g. by γ); overrides `color` for markers.
        public var pointColors: [String]?
        /// Whether the series has an entry in the legend.
        public var inLegend: Bool

        public init(
            name: String, points: [(Double, Double)], style: Style = .line, color: String, dashed: Bool = false,
            pointColors: [String]? = nil, inLegend: Bool = true
        ) {
            self.name = name
            self.points = points
            self.style = style
            self.color = color
            self.dashed = dashed
            self.pointColors = pointColors
            self.inLegend = inLegend
        }
    }

    /// A shaded interval of x (e.g. a regime).
    public struct Band {
        public var from: Double
        public var to: Double
        public var color: String
        public var label: String
        public init(from: Double, to: Double, color: String, label: String) {
            self.from = from
            self.to = to
            self.color = color
            self.label = label
        }
    }

    /// A vertical line at x (e.g. γ* or a critical point).
    public struct Marker {
        public var x: Double
        public var label: String
        public var color: String
        public var dashed: Bool
        public init(x: Double, label: String, color: String, dashed: Bool = true) {
            self.x = x
            self.label = label
            self.color = color
            self.dashed = dashed
        }
    }

    /// A filled data-space rectangle (heatmap cell).
    public struct Cell {
        public var x: (Double, Double)
        public var y: (Double, Double)
        public var color: String
        /// Shown on hover in browsers (`<title>`).
        public var tooltip: String
        public init(x: (Double, Double), y: (Double, Double), color: String, tooltip: String) {
            self.x = x
            self.y = y
            self.color = color
            self.tooltip = tooltip
        }
    }

    /// A colour scale drawn as a labelled bar right of the plot: `Palette.ramp(0)` at `low`, `ramp(1)` at `high`.
    public struct ColorBar {
        public var label: String
        public var low: Double
        public var high: Double
        public var scale: Scale
        public init(label: String, low: Double, high: Double, scale: Scale = .linear) {
            self.label = label
            self.low = low
            self.high = high
            self.scale = scale
        }

        /// Where `value` sits on the bar, 0 at `low` and 1 at `high` (clamped): the argument of `Palette.ramp`.
        public func fraction(_ value: Double) -> Double {
            let t: Double
            switch scale {
            case .linear: t = (value - low) / (high - low)
            case .log: t = log(value / low) / log(high / low)
            }
            return t.isFinite ? max(0, min(1, t)) : 0
        }
    }

    /// A text placed at a data point (e.g. "EP 3" beside an exceptional point).
    public struct Annotation {
        public var x: Double
        public var y: Double
        public var text: String
        public var color: String
        public init(x: Double, y: Double, text: String, color: String) {
            self.x = x
            self.y = y
            self.text = text
            self.color = color
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var xScale: Scale
    public var yScale: Scale
    public var series: [Series] = []
    public var bands: [Band] = []
    public var markers: [Marker] = []
    public var cells: [Cell] = []
    public var annotations: [Annotation] = []
    /// The colour scale of `pointColors` or `cells`, drawn right of the plot (nil: none).
    public var colorBar: ColorBar?
    /// Category names for the y ticks at 0, 1, 2, … (a heatmap's rows) instead of numbers.
    public var yCategories: [String]?
    /// Legend in the lower right corner instead of the upper right (for curves that rise to the right).
    public var legendAtBottom = false
    /// A note under the title (e.g. what the colours mean).
    public var caption: String = ""
    public var width = 760.0
    public var height = 460.0
    /// Data range; computed from the series when nil.
    public var xRange: (Double, Double)?
    public var yRange: (Double, Double)?

    /// Pixels around the plot area; the right one widens to make room for a colour bar.
    var margin: (left: Double, right: Double, top: Double, bottom: Double) {
        // Category labels (a heatmap's rows) can be long: the left margin makes room for them and the axis title.
        let longest = Double(yCategories?.map(\.count).max() ?? 0)
        return (max(78, 7 * longest + 40), colorBar == nil ? 24 : 110, 52, 58)
    }

    public init(title: String, xLabel: String, yLabel: String, xScale: Scale = .linear, yScale: Scale = .linear) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.xScale = xScale
        self.yScale = yScale
    }

    // MARK: Coordinates

    /// The plotted data range (padded by 5 % on linear axes, widened to whole decades on log axes).
    public var xDomain: (Double, Double) {
        domain(
            xRange,
            values: series.flatMap { $0.points.map(\.0) } + markers.map(\.x) + cells.flatMap { [$0.x.0, $0.x.1] },
            scale: xScale)
    }
    public var yDomain: (Double, Double) {
        domain(
            yRange, values: series.flatMap { $0.points.map(\.1) } + cells.flatMap { [$0.y.0, $0.y.1] }, scale: yScale)
    }

    private func domain(_ fixed: (Double, Double)?, values: [Double], scale: Scale) -> (Double, Double) {
        if let fixed { return fixed }
        let usable = values.filter { $0.isFinite && (scale == .linear || $0 > 0) }
        guard var low = usable.min(), var high = usable.max() else { return scale == .log ? (1, 10) : (0, 1) }
        switch scale {
        case .linear:
            if low == high { low -= 1; high += 1 }
            let pad = 0.05 * (high - low)
            return (low - pad, high + pad)
        case .log:
            low = pow(10, floor(log10(low)))
            high = pow(10, ceil(log10(high)))
            if low == high { high *= 10 }
            return (low, high)
        }
    }

    private func fraction(_ value: Double, _ domain: (Double, Double), _ scale: Scale) -> Double {
        switch scale {
        case .linear: return (value - domain.0) / (domain.1 - domain.0)
        case .log: return (log10(value) - log10(domain.0)) / (log10(domain.1) - log10(domain.0))
        }
    }

    /// Pixel x of a data x.
    public func pixelX(_ x: Double) -> Double {
        margin.left + fraction(x, xDomain, xScale) * (width - margin.left - margin.right)
    }

    /// Pixel y of a data y (SVG's y grows downwards).
    public func pixelY(_ y: Double) -> Double {
        height - margin.bottom - fraction(y, yDomain, yScale) * (height - margin.top - margin.bottom)
    }

    // MARK: Ticks

    static func ticks(_ domain: (Double, Double), _ scale: Scale) -> [Double] {
        switch scale {
        case .log:
            let first = Int(floor(log10(domain.0)))
            let last = Int(ceil(log10(domain.1)))
            let stride = max(1, (last - first + 7) / 8)
            return Swift.stride(from: first, through: last, by: stride).map { pow(10, Double($0)) }
                .filter { $0 >= domain.0 * (1 - 1e-12) && $0 <= domain.1 * (1 + 1e-12) }
        case .linear:
            let span = domain.1 - domain.0
            let raw = span / 6
            let magnitude = pow(10, floor(log10(raw)))
            let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
            let start = ceil(domain.0 / step) * step
            return Swift.stride(from: start, through: domain.1 + step * 1e-9, by: step).map {
                abs($0) < step * 1e-9 ? 0 : $0
            }
        }
    }

    static func tickLabel(_ value: Double, _ scale: Scale) -> String {
        if scale == .log {
            let exponent = Int(log10(value).rounded())
            return (-2...3).contains(exponent) ? Format.compact(value) : "1e\(exponent)"
        }
        return Format.compact(value)
    }
}

extension Format {
    /// Short tick labels: up to 4 significant digits, no exponent for moderate magnitudes.
    static func compact(_ value: Double) -> String {
        if value == 0 { return "0" }
        if abs(value) >= 1e-3 && abs(value) < 1e5 {
            var text = String(format: "%.4g", value)
            if text.contains("e") { text = String(format: "%.4f", value) }
            return text
        }
        return String(format: "%.2g", value)
    }
}
