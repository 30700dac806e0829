"""`make bench`: Lotse's throughput and latency, each figure beside the bus's own ceiling."""
