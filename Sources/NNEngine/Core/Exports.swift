@_exported import NNRandom
