print("nnexp")
