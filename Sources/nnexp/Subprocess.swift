import Foundation

/// Runs a command found on PATH (sbatch, scontrol, squeue) and captures what it prints.
enum Subprocess {
    struct Result {
        var status: Int32
        var out: String
        var err: String
    }

    /// Nil when the command could not be started at all (not installed).
    static func run(_ command: String, _ args: [String]) -> Result? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [command] + args
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        do { try p.run() } catch { return nil }
        // Read both pipes to the end before waiting, so a chatty command never blocks on a full pipe.
        let errData = DataBox()
        let errDone = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            errData.data = err.fileHandleForReading.readDataToEndOfFile()
            errDone.signal()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        errDone.wait()
        p.waitUntilExit()
        // env exits 127 when the command does not exist.
        if p.terminationStatus == 127 && outData.isEmpty { return nil }
        return Result(
            status: p.terminationStatus, out: String(decoding: outData, as: UTF8.self),
            err: String(decoding: errData.data, as: UTF8.self))
    }
}

/// Stderr read on another thread; the semaphore orders the write before the read.
private final class DataBox: @unchecked Sendable { var data = Data() }
