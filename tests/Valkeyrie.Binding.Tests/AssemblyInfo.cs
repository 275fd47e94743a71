// The differential tests change the process-wide default culture; nothing else may run meanwhile.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
