/// A branch-free exp that the compiler can vectorise, for the elementwise loops of the hot path
/// (sigmoid, softplus). libm's `expf`/`exp` are opaque calls, so a loop over them stays scalar, and
/// their subnormal results (exp(x) for x below about −87 in Float, −708 in Double) make every later
/// multiply take a slow microcode assist: with Raschka's raw 0…255 pixels most hidden units saturate
/// there, and the profile showed the sigmoid loop spending most of its time in that multiply.
///
/// Method (Cephes-style): n = round(x·log₂e) with the 1.5·2^p "magic number" trick (no rounding
/// instruction needed on baseline x86-64), r = x − n·ln2 with ln2 split into an exactly multipliable
/// high part and a low correction, eʳ by its Taylor polynomial on |r| ≤ ln2/2 (degree 7 for Float,
/// truncation error < 0.1 ulp; degree 13 for Double, < 0.05 ulp), times 2ⁿ built from its bits.
/// Measured against a higher-precision exp, normal results are within 2 ulp (see FastExpTests), i.e.
/// within the type's rounding; results below the smallest normal number are flushed to zero, +∞ and
/// NaN propagate.
extension Float {
    @inline(__always)
    static func branchFreeExp(_ x: Float) -> Float {
        // Just above ln(leastNormalMagnitude) = −87.336544…, so even clamped lanes never compute a
        // subnormal (which would cost the very assist this function avoids); below it the result is 0.
        let lowest: Float = -87.33654
        let highest: Float = 88.72283     // ln(greatestFiniteMagnitude)
        let xc = x < lowest ? lowest : (x > highest ? highest : x)
        let magic: Float = 12_582_912     // 1.5·2²³: adding it rounds to an integer kept in the low bits
        let shifted = xc * 1.442695040888963 + magic
        let n = shifted - magic
        var r = xc - n * 0.693359375      // ln2 high part: few significant bits, so n·hi is exact
        r = r - n * -2.12194440e-4        // ln2 − hi
        var p: Float = 1.0 / 5040
        p = p * r + 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        let k = Int32(bitPattern: shifted.bitPattern) &- Int32(bitPattern: magic.bitPattern)
        // 2ⁿ in two factors so that n = 128 (x just below `highest`) does not overflow the exponent.
        let half = k >> 1
        let s1 = Float(bitPattern: UInt32(bitPattern: (half &+ 127) << 23))
        let s2 = Float(bitPattern: UInt32(bitPattern: (k &- half &+ 127) << 23))
        var y = p * s1 * s2
        y = x < lowest ? 0 : y
        y = x > highest ? .infinity : y
        return x.isNaN ? x : y
    }
}

extension Double {
    @inline(__always)
    static func branchFreeExp(_ x: Double) -> Double {
        let lowest = -708.3964185         // just above ln(leastNormalMagnitude) = −708.39641853226…
        let highest = 709.782712893384    // ln(greatestFiniteMagnitude)
        let xc = x < lowest ? lowest : (x > highest ? highest : x)
        let magic = 6_755_399_441_055_744.0   // 1.5·2⁵²
        let shifted = xc * 1.4426950408889634 + magic
        let n = shifted - magic
        var r = xc - n * 0.693145751953125    // ln2 high part (exact products for |n| < 2¹¹)
        r = r - n * 1.4286068203094172321e-6  // ln2 − hi
        var p = 1.0 / 6_227_020_800
        p = p * r + 1.0 / 479_001_600
        p = p * r + 1.0 / 39_916_800
        p = p * r + 1.0 / 3_628_800
        p = p * r + 1.0 / 362_880
        p = p * r + 1.0 / 40_320
        p = p * r + 1.0 / 5040
        p = p * r + 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        let k = Int64(bitPattern: shifted.bitPattern) &- Int64(bitPattern: magic.bitPattern)
        // 2ⁿ in two factors so that n = 1024 (x just below `highest`) does not overflow the exponent.
        let half = k >> 1
        let s1 = Double(bitPattern: UInt64(bitPattern: (half &+ 1023) << 52))
        let s2 = Double(bitPattern: UInt64(bitPattern: (k &- half &+ 1023) << 52))
        var y = p * s1 * s2
        y = x < lowest ? 0 : y
        y = x > highest ? .infinity : y
        return x.isNaN ? x : y
    }
}
