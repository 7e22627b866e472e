import Foundation

/// Real data sets compiled into the library (SwiftPM `embedInCode` resources), so presets and configs can use them
/// on any machine with no file to find at run time.
public enum BundledDataset: String, CaseIterable, Sendable {
    /// 100 handwritten digits, 8 × 8 pixels in [0, 16], 10 per class: the first 10 images of each class of the UCI
    /// optical-recognition digits test set as shipped with scikit-learn (CC BY 4.0).
    case digits100
    /// The first 100 MNIST test images, 28 × 28 pixels in [0, 255] (Y. LeCun, C. Cortes, C. J. C. Burges;
    /// CC BY-SA 3.0).
    case mnist100

    /// The file as shipped (`Sources/EffectiveGAN/Resources/NAME.json`, a copy of the team's shared/data file).
    public var bytes: [UInt8] {
        switch self {
        case .digits100: return PackageResources.digits100_json
        case .mnist100: return PackageResources.mnist100_json
        }
    }
}

extension BundledDataset {
    /// The decoded file: images as rows of pixels, labels, the source sentence and, where the file documents one,
    /// the data set's common normalisation (offset and scale in pixel units).
    struct Contents {
        let images: [[Double]]
        let labels: [Double]
        let source: String
        let commonNormalization: (offset: Double, scale: Double)?
    }

    func contents() throws -> Contents {
        let json = try JSONValue.parse(Data(bytes), source: "bundled \(rawValue)")
        let reader = try JSONReader(json, path: rawValue)
        let range = try reader.doubles("pixelRange")
        var normalization: (Double, Double)?
        if reader.has("commonNormalization") {
            // (pixel/max − mean)/std = (pixel − max·mean)/(max·std).
            let common = try reader.object("commonNormalization")
            let top = range[1]
            normalization = (top * (try common.double("mean")), top * (try common.double("std")))
        }
        return Contents(
            images: try reader.rows("images"), labels: try reader.doubles("labels"),
            source: try reader.string("source"),
            commonNormalization: normalization)
    }
}
