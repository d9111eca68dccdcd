/// Called after every epoch with (epoch index, its cost); return false to stop training (interrupt).
/// Full-batch optimizers call it after every iteration with the iteration number (from 1), the index
/// of that cost in `TrainingResult.epochCosts`.
public typealias ProgressHandler = @Sendable (_ epoch: Int, _ cost: Double) -> Bool
