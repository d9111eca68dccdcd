import Foundation

/// `nnexp run --requeue-on-usr1`: puts the Slurm job this process runs in back into the queue after
/// SIGUSR1 stopped it. Slurm requeues on its own only after a node failure or preemption; a task
/// that stops itself before its time limit must ask (as submitit does), or its unfinished runs would
/// wait for a manual resubmission. `SLURM_JOB_ID` names the array task itself.
enum SlurmRequeue {
    /// Requeues stop after this many restarts (`SLURM_RESTART_COUNT`), so a run that never fits in
    /// the time limit does not loop forever.
    static let maxRestarts = 3

    static func requeueThisJob(environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard let job = environment["SLURM_JOB_ID"], !job.isEmpty else {
            SpecCommandSupport.printError("--requeue-on-usr1: not inside a Slurm job (no SLURM_JOB_ID); not requeued")
            return
        }
        let restarts = Int(environment["SLURM_RESTART_COUNT"] ?? "") ?? 0
        guard restarts < maxRestarts else {
            SpecCommandSupport.printError(
                "not requeued: this task already restarted \(restarts) times (at most \(maxRestarts)); resubmit it by hand once the time limit allows"
            )
            return
        }
        // Said first: Slurm may end this process (SIGTERM) as soon as the requeue is accepted.
        SpecCommandSupport.printError(
            "requeueing Slurm job \(job) (restart \(restarts + 1) of at most \(maxRestarts)); it will resume the runs not finished"
        )
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["scontrol", "requeue", job]
        do {
            try p.run()
            p.waitUntilExit()
            if p.terminationStatus != 0 {
                SpecCommandSupport.printError(
                    "error: scontrol requeue \(job) failed with status \(p.terminationStatus)")
            }
        } catch {
            SpecCommandSupport.printError("error: cannot run scontrol requeue \(job): \(error)")
        }
    }
}
