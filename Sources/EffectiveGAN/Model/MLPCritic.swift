/// An MLP critic with its frozen random parts, as a resolved model holds it: one value every layer derives from.
///
/// D(x) = s_L Σ_k a_k φ(h^L_k(x)) + c, with h¹ = W¹x + b¹ and h^{l+1} = s_l W^{l+1} φ(h^l) + b^{l+1}, s_l = H_l^{-1/2}
/// (the NTK scaling of spec §1 applied at every layer). With one hidden layer this is spec §1's
/// D(x) = H^{-1/2} Σ_k a_k φ(w_k·x + b_k) + c exactly.
///
/// State order of θ: a (H_L), then with `train: "all"` W¹ … W^L (each row-major) and b¹ … b^L, then c. With one
/// layer: a, W, b, c as spec §1.
public struct MLPCritic: Equatable, Sendable {
    /// One hidden layer: `weights` has H_l rows of length H_{l−1} (d for the first), `biases` H_l entries.
    public struct Layer: Equatable, Sendable {
        public var weights: [[Double]]
        public var biases: [Double]

        public init(weights: [[Double]], biases: [Double]) {
            self.weights = weights
            self.biases = biases
        }

        public var width: Int { biases.count }
        public var inputs: Int { weights.first?.count ?? 0 }
    }

    public var activation: Activation
    public var training: Training
    /// Hidden layers, input side first (at least one).
    public var layers: [Layer]
    public var outputBias: Bool
    public var weightDecay: Double

    public init(
        activation: Activation, training: Training, layers: [Layer], outputBias: Bool, weightDecay: Double
    ) {
        precondition(!layers.isEmpty, "an MLP critic has at least one hidden layer")
        self.activation = activation
        self.training = training
        self.layers = layers
        self.outputBias = outputBias
        self.weightDecay = weightDecay
    }

    /// Number of hidden layers L.
    public var depth: Int { layers.count }
    /// The hidden widths H_1 … H_L.
    public var widths: [Int] { layers.map(\.width) }
    /// H_L: the readout's size (the features the oscillator structure sees).
    public var readoutWidth: Int { layers[layers.count - 1].width }
    /// The input dimension (d, or m·d with packing).
    public var inputDimension: Int { layers[0].inputs }
    /// Weights and biases of all hidden layers: what `train: "all"` adds to θ.
    public var innerParameterCount: Int { layers.reduce(0) { $0 + $1.width * ($1.inputs + 1) } }
    /// P.
    public var parameterCount: Int {
        readoutWidth + (training == .all ? innerParameterCount : 0) + (outputBias ? 1 : 0)
    }

    /// "width 64" for one hidden layer, "layers [128, 128]" for several: for tables and reports.
    public var shapeDescription: String {
        depth == 1 ? "width \(readoutWidth)" : "layers [\(widths.map(String.init).joined(separator: ", "))]"
    }
}
