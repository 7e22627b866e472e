internal import CVectorMath

extension Activation {
    /// φ, φ′ and optionally φ″ over `count` pre-activations h, for the vector field's hot loop. On return `values`
    /// holds φ(h) in place of h.
    ///
    /// sin, cos and tanh go through glibc's libmvec (AVX-512/AVX2, ≤ 4 ulp), one transcendental call per element
    /// serving all three derivatives; the others use the scalar `derivatives(_:)`. The Jacobian keeps the scalar
    /// form (it also needs φ‴); the finite-difference tests compare the two.
    func evaluate(
        inPlace values: UnsafeMutablePointer<Double>, first: UnsafeMutablePointer<Double>,
        second: UnsafeMutablePointer<Double>?, count: Int
    ) {
        switch kind {
        case .cos:
            vm_sin(values, first, count)
            vm_cos(values, values, count)
            for i in 0..<count { first[i] = -first[i] }
            if let second { for i in 0..<count { second[i] = -values[i] } }
        case .sin:
            vm_cos(values, first, count)
            vm_sin(values, values, count)
            if let second { for i in 0..<count { second[i] = -values[i] } }
        case .tanh:
            vm_tanh(values, values, count)
            for i in 0..<count { first[i] = 1 - values[i] * values[i] }
            if let second { for i in 0..<count { second[i] = -2 * values[i] * first[i] } }
        case .relu, .leakyRelu, .sigmoid, .softplus, .elu:
            for i in 0..<count {
                let (f0, f1, f2, _) = derivatives(values[i])
                values[i] = f0
                first[i] = f1
                second?[i] = f2
            }
        }
    }
}

/// Which vectorised math the field uses on this machine: 512 (AVX-512), 256 (AVX2) or 64 (scalar libm).
public var vectorMathBits: Int { Int(vm_vector_bits()) }
