import FuzzEntries

/// libFuzzer entry point (`make fuzz`); see FuzzEntries.csv for what one input exercises.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzEntries.csv(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
