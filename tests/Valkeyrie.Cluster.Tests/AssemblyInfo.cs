// One cluster at a time: four clusters at once would not fit on a 2-core machine, and their timings would mean nothing.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
