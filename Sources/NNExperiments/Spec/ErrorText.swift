import Foundation

/// Errors as plain sentences: the operating system's reason ("no such file or directory",
/// "permission denied", "no space left on device") instead of Foundation's
/// `Error Domain=NSCocoaErrorDomain Code=256 …` or "isn't in the correct format". nnexp's own
/// errors (spec, data, run errors) are already sentences and pass through unchanged.
public enum ErrorText {
    /// A Foundation file error as `path: reason` (`path` when given, else the error's own file); any other
    /// error as its own text.
    public static func describe(_ error: Error, path: String? = nil) -> String {
        let ns = error as NSError
        guard ns.domain == NSCocoaErrorDomain || ns.domain == NSPOSIXErrorDomain else { return "\(error)" }
        let subject = path ?? (ns.userInfo[NSFilePathErrorKey] as? String) ?? (ns.userInfo[NSURLErrorKey] as? URL)?.path
        return subject.map { "\($0): \(reason(error))" } ?? reason(error)
    }

    /// The reason alone, without the path.
    public static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))).lowercased() }
        if let u = ns.userInfo[NSUnderlyingErrorKey] as? NSError, u.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(u.code))).lowercased()
        }
        guard ns.domain == NSCocoaErrorDomain else { return "\(error)" }
        switch ns.code {
        case NSFileNoSuchFileError, NSFileReadNoSuchFileError: return "no such file or directory"
        case NSFileReadNoPermissionError, NSFileWriteNoPermissionError: return "permission denied"
        case NSFileReadInapplicableStringEncodingError, NSFileReadCorruptFileError: return "not UTF-8 text"
        case NSFileWriteOutOfSpaceError: return "no space left on device"
        case NSFileWriteVolumeReadOnlyError: return "read-only file system"
        case NSFileWriteFileExistsError: return "file exists"
        case NSFileReadTooLargeError: return "file too large"
        default:
            if let path = ns.userInfo[NSFilePathErrorKey] as? String {
                var isDir: ObjCBool = false
                if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
                    return "is a folder, not a file"
                }
            }
            return ns.code >= NSFileWriteUnknownError && ns.code < 1000 ? "cannot write" : "cannot read"
        }
    }
}
