// swift-tools-version: 6.0
// EffectiveGAN: the physics of GAN training as an effective particle model.
//
// Data path (each arrow a module boundary):
//   CLAPACKE / CGSL (C, system libraries via pkg-config)
//     → LinearAlgebra (Matrix, eigenvalues, BLAS-3)   GSLBridge (RNG, ODE, root finding)
//   CVectorMath (C: glibc libmvec sin/cos/tanh over arrays, for the vector field's hot loop)
//     → EffectiveGAN (config → model → field & Jacobian → spectrum → sweeps → simulation)
//     → StabilityReport (Markdown reports, SVG figures)
//     → EganCLI (swift-argument-parser commands, text notebooks) → egan (the executable)
import PackageDescription

let package = Package(
    name: "EffectiveGAN",
    products: [
        .library(name: "EffectiveGAN", targets: ["EffectiveGAN"]),
        .executable(name: "egan", targets: ["egan"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLAPACKE", pkgConfig: "lapacke",
            providers: [.apt(["liblapacke-dev", "libopenblas-dev"])]),
        .systemLibrary(
            name: "CGSL", pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"])]),
        .target(
            name: "LinearAlgebra",
            dependencies: ["CLAPACKE", .product(name: "Numerics", package: "swift-numerics")]),
        .target(name: "GSLBridge", dependencies: ["CGSL"]),
        .target(name: "CVectorMath", linkerSettings: [.linkedLibrary("mvec"), .linkedLibrary("m")]),
        .target(
            name: "EffectiveGAN",
            dependencies: [
                "LinearAlgebra", "GSLBridge", "CVectorMath", .product(name: "Numerics", package: "swift-numerics")]),
        .target(name: "StabilityReport", dependencies: ["EffectiveGAN", "LinearAlgebra", "GSLBridge"]),
        .target(
            name: "EganCLI",
            dependencies: [
                "EffectiveGAN", "StabilityReport", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(name: "egan", dependencies: ["EganCLI"]),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra"]),
        .testTarget(name: "EffectiveGANTests", dependencies: ["EffectiveGAN", "LinearAlgebra", "GSLBridge"]),
        .testTarget(name: "StabilityReportTests", dependencies: ["StabilityReport", "EffectiveGAN"]),
        .testTarget(name: "EganCLITests", dependencies: ["EganCLI", "EffectiveGAN"]),
    ]
)
