import Foundation

extension SVGPlot {
    /// The SVG document.
    public func render() -> String {
        let plotLeft = margin.left
        let plotRight = width - margin.right
        let plotTop = margin.top
        let plotBottom = height - margin.bottom
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
            viewBox="0 0 \(Int(width)) \(Int(height))" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="13">
            <rect x="0" y="0" width="\(Int(width))" height="\(Int(height))" fill="white"/>
            <text x="\(f(width / 2))" y="22" text-anchor="middle" font-size="16" font-weight="bold">\(escape(title))</text>

            """
        if !caption.isEmpty {
            svg +=
                "<text x=\"\(f(width / 2))\" y=\"40\" text-anchor=\"middle\" font-size=\"12\" fill=\"#444\">\(escape(caption))</text>\n"
        }
        svg +=
            "<clipPath id=\"plot-area\"><rect x=\"\(f(plotLeft))\" y=\"\(f(plotTop))\" width=\"\(f(plotRight - plotLeft))\" height=\"\(f(plotBottom - plotTop))\"/></clipPath>\n"
        for band in bands {
            let x0 = max(plotLeft, min(plotRight, pixelX(band.from)))
            let x1 = max(plotLeft, min(plotRight, pixelX(band.to)))
            svg +=
                "<rect data-band=\"\(escape(band.label))\" x=\"\(f(x0))\" y=\"\(f(plotTop))\" width=\"\(f(max(0, x1 - x0)))\" height=\"\(f(plotBottom - plotTop))\" fill=\"\(band.color)\" fill-opacity=\"0.18\"/>\n"
        }
        for cell in cells {
            let x0 = pixelX(cell.x.0), x1 = pixelX(cell.x.1), y0 = pixelY(cell.y.1), y1 = pixelY(cell.y.0)
            svg +=
                "<rect data-cell=\"true\" x=\"\(f(x0))\" y=\"\(f(y0))\" width=\"\(f(x1 - x0))\" height=\"\(f(y1 - y0))\" fill=\"\(cell.color)\"><title>\(escape(cell.tooltip))</title></rect>\n"
        }
        svg += axes(plotLeft: plotLeft, plotRight: plotRight, plotTop: plotTop, plotBottom: plotBottom)
        for marker in markers where marker.x.isFinite {
            let x = pixelX(marker.x)
            guard x >= plotLeft - 0.5, x <= plotRight + 0.5 else { continue }
            svg +=
                "<line data-marker=\"\(escape(marker.label))\" x1=\"\(f(x))\" y1=\"\(f(plotTop))\" x2=\"\(f(x))\" y2=\"\(f(plotBottom))\" stroke=\"\(marker.color)\" stroke-width=\"1.5\"\(marker.dashed ? " stroke-dasharray=\"6 4\"" : "")/>\n"
        }
        for item in series {
            svg += draw(item)
        }
        for note in annotations where visible((note.x, note.y)) {
            svg +=
                "<text data-annotation=\"\(escape(note.text))\" x=\"\(f(pixelX(note.x) + 5))\" y=\"\(f(pixelY(note.y) - 6))\" font-size=\"11\" fill=\"\(note.color)\">\(escape(note.text))</text>\n"
        }
        if let colorBar {
            svg += drawColorBar(colorBar, plotRight: plotRight, plotTop: plotTop, plotBottom: plotBottom)
        }
        svg += legend(plotRight: plotRight, plotTop: plotTop, plotBottom: plotBottom)
        svg += "</svg>\n"
        return svg
    }

    private func axes(plotLeft: Double, plotRight: Double, plotTop: Double, plotBottom: Double) -> String {
        var svg = "<g data-axes=\"true\" stroke=\"#222\" stroke-width=\"1\">\n"
        svg +=
            "<rect x=\"\(f(plotLeft))\" y=\"\(f(plotTop))\" width=\"\(f(plotRight - plotLeft))\" height=\"\(f(plotBottom - plotTop))\" fill=\"none\"/>\n"
        for tick in Self.ticks(xDomain, xScale) {
            let x = pixelX(tick)
            svg += "<line x1=\"\(f(x))\" y1=\"\(f(plotBottom))\" x2=\"\(f(x))\" y2=\"\(f(plotBottom + 5))\"/>"
            svg += "<line x1=\"\(f(x))\" y1=\"\(f(plotTop))\" x2=\"\(f(x))\" y2=\"\(f(plotBottom))\" stroke=\"#ddd\"/>"
            svg +=
                "<text x=\"\(f(x))\" y=\"\(f(plotBottom + 20))\" text-anchor=\"middle\" stroke=\"none\" fill=\"#222\">\(Self.tickLabel(tick, xScale))</text>\n"
        }
        let yTicks = yCategories.map { names in names.indices.map(Double.init) } ?? Self.ticks(yDomain, yScale)
        for tick in yTicks {
            let y = pixelY(tick)
            let label = yCategories.map { $0[Int(tick)] } ?? Self.tickLabel(tick, yScale)
            svg += "<line x1=\"\(f(plotLeft - 5))\" y1=\"\(f(y))\" x2=\"\(f(plotLeft))\" y2=\"\(f(y))\"/>"
            svg += "<line x1=\"\(f(plotLeft))\" y1=\"\(f(y))\" x2=\"\(f(plotRight))\" y2=\"\(f(y))\" stroke=\"#ddd\"/>"
            svg +=
                "<text x=\"\(f(plotLeft - 8))\" y=\"\(f(y + 4))\" text-anchor=\"end\" stroke=\"none\" fill=\"#222\">\(escape(label))</text>\n"
        }
        svg += "</g>\n"
        svg +=
            "<text x=\"\(f((plotLeft + plotRight) / 2))\" y=\"\(f(height - 14))\" text-anchor=\"middle\">\(escape(xLabel))</text>\n"
        svg +=
            "<text x=\"18\" y=\"\(f((plotTop + plotBottom) / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 18 \(f((plotTop + plotBottom) / 2)))\">\(escape(yLabel))</text>\n"
        return svg
    }

    /// A vertical bar right of the plot filled with `Palette.ramp` (a gradient sampled at 9 stops), with ticks on
    /// the bar's scale and its label written upwards beside it.
    private func drawColorBar(_ bar: ColorBar, plotRight: Double, plotTop: Double, plotBottom: Double) -> String {
        let x = plotRight + 18
        let barWidth = 14.0
        let stops = (0...8).map { k in
            "<stop offset=\"\(f(Double(k) / 8))\" stop-color=\"\(Palette.ramp(Double(k) / 8))\"/>"
        }
        var svg = "<g data-colorbar=\"\(escape(bar.label))\">\n"
        svg +=
            "<defs><linearGradient id=\"colorbar-ramp\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">\(stops.joined())</linearGradient></defs>\n"
        svg +=
            "<rect x=\"\(f(x))\" y=\"\(f(plotTop))\" width=\"\(f(barWidth))\" height=\"\(f(plotBottom - plotTop))\" fill=\"url(#colorbar-ramp)\" stroke=\"#222\"/>\n"
        let low = min(bar.low, bar.high)
        let high = max(bar.low, bar.high)
        var ticks = Self.ticks((low, high), bar.scale).filter { $0 >= low && $0 <= high }
        if ticks.count < 2 { ticks = [low, high] }
        for tick in ticks {
            let y = plotBottom - bar.fraction(tick) * (plotBottom - plotTop)
            svg +=
                "<line x1=\"\(f(x + barWidth))\" y1=\"\(f(y))\" x2=\"\(f(x + barWidth + 4))\" y2=\"\(f(y))\" stroke=\"#222\"/>"
            svg +=
                "<text x=\"\(f(x + barWidth + 6))\" y=\"\(f(y + 4))\" font-size=\"11\">\(Self.tickLabel(tick, bar.scale))</text>\n"
        }
        let labelX = x + barWidth + 56
        let middle = (plotTop + plotBottom) / 2
        svg +=
            "<text x=\"\(f(labelX))\" y=\"\(f(middle))\" text-anchor=\"middle\" transform=\"rotate(-90 \(f(labelX)) \(f(middle)))\">\(escape(bar.label))</text>\n"
        return svg + "</g>\n"
    }

    private func visible(_ point: (Double, Double)) -> Bool {
        point.0.isFinite && point.1.isFinite && (xScale == .linear || point.0 > 0) && (yScale == .linear || point.1 > 0)
    }

    private func draw(_ item: Series) -> String {
        let points = item.points.enumerated().filter { visible($0.element) }
        var svg = "<g data-series=\"\(escape(item.name))\" clip-path=\"url(#plot-area)\">\n"
        if item.style != .markers, points.count > 1 {
            let path = points.map { "\(f(pixelX($0.element.0))),\(f(pixelY($0.element.1)))" }.joined(separator: " ")
            svg +=
                "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(item.color)\" stroke-width=\"2\"\(item.dashed ? " stroke-dasharray=\"7 5\"" : "")/>\n"
        }
        if item.style != .line {
            for (index, point) in points {
                let color = item.pointColors?[index] ?? item.color
                svg += "<circle cx=\"\(f(pixelX(point.0)))\" cy=\"\(f(pixelY(point.1)))\" r=\"3.2\" fill=\"\(color)\"/>"
            }
            svg += "\n"
        }
        return svg + "</g>\n"
    }

    private func legend(plotRight: Double, plotTop: Double, plotBottom: Double) -> String {
        let entries: [(String, String, Bool, Bool)] =
            series.filter(\.inLegend).map { ($0.name, $0.color, $0.dashed, $0.style == .markers) }
            + bands.map { ($0.label, $0.color, false, false) } + markers.map { ($0.label, $0.color, $0.dashed, false) }
        guard !entries.isEmpty else { return "" }
        let longest = entries.map(\.0.count).max() ?? 0
        let boxWidth = Double(longest) * 7.2 + 44
        let x = plotRight - boxWidth - 8
        let boxHeight = Double(entries.count) * 18 + 8
        var y = legendAtBottom ? plotBottom - boxHeight - 8 : plotTop + 8
        var svg =
            "<g data-legend=\"true\"><rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(boxWidth))\" height=\"\(f(boxHeight))\" fill=\"white\" fill-opacity=\"0.9\" stroke=\"#999\"/>\n"
        y += 17
        for (index, entry) in entries.enumerated() {
            let (name, color, dashed, markersOnly) = entry
            let isBand =
                index >= series.filter(\.inLegend).count && index < series.filter(\.inLegend).count + bands.count
            if isBand {
                svg +=
                    "<rect x=\"\(f(x + 8))\" y=\"\(f(y - 9))\" width=\"22\" height=\"10\" fill=\"\(color)\" fill-opacity=\"0.35\"/>"
            } else if markersOnly {
                svg += "<circle cx=\"\(f(x + 19))\" cy=\"\(f(y - 4))\" r=\"3.5\" fill=\"\(color)\"/>"
            } else {
                svg +=
                    "<line x1=\"\(f(x + 8))\" y1=\"\(f(y - 4))\" x2=\"\(f(x + 30))\" y2=\"\(f(y - 4))\" stroke=\"\(color)\" stroke-width=\"2\"\(dashed ? " stroke-dasharray=\"6 4\"" : "")/>"
            }
            svg += "<text x=\"\(f(x + 36))\" y=\"\(f(y))\">\(escape(name))</text>\n"
            y += 18
        }
        return svg + "</g>\n"
    }

    /// Pixel coordinates with two decimals.
    func f(_ value: Double) -> String { String(format: "%.2f", value) }

    private func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

/// Colours of the figures.
public enum Palette {
    public static let blue = "#1f77b4"
    public static let orange = "#e67e22"
    public static let red = "#d62728"
    public static let purple = "#8e44ad"
    public static let grey = "#555555"
    public static let underdamped = "#4c9be8"
    public static let overdamped = "#f0a030"
    public static let unstable = "#d62728"
    public static let marginal = "#999999"

    /// A perceptually ordered ramp (dark blue → yellow) for colouring by a parameter, t ∈ [0, 1].
    public static func ramp(_ t: Double) -> String {
        let stops: [(Double, Double, Double)] = [
            (68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37),
        ]
        let x = max(0, min(1, t)) * Double(stops.count - 1)
        let i = min(Int(x), stops.count - 2)
        let u = x - Double(i)
        let c = (0..<3).map { k -> Int in
            let a = [stops[i].0, stops[i].1, stops[i].2][k]
            let b = [stops[i + 1].0, stops[i + 1].1, stops[i + 1].2][k]
            return Int((a + (b - a) * u).rounded())
        }
        return String(format: "#%02x%02x%02x", c[0], c[1], c[2])
    }
}
