import Foundation

/// Why a path cannot be read as a data or weights file, or nil when it is a readable regular file.
enum FileCheck {
    static func problem(_ path: String) -> String? {
        var st = stat()
        guard stat(path, &st) == 0 else { return String(cString: strerror(errno)).lowercased() }
        switch st.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: return "is a folder, not a file"
        default: return "is not a regular file (a device, pipe or socket)"
        }
        guard access(path, R_OK) == 0 else { return String(cString: strerror(errno)).lowercased() }
        return nil
    }
}
