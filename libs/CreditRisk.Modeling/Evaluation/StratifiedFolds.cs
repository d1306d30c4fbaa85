namespace CreditRisk.Modeling.Evaluation;

/// <summary>
/// Stratified, shuffled k-fold assignment, as scikit-learn's StratifiedKFold(shuffle=True): each class is
/// shuffled with the seed and dealt round the folds, so every fold holds the class balance to within one
/// row and the same seed gives the same folds.
/// </summary>
public static class StratifiedFolds
{
    /// <summary>The fold (0..folds-1) each row is tested in.</summary>
    public static int[] Assign(IReadOnlyList<bool> labels, int folds, int seed)
    {
        if (folds < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(folds), folds, "at least 2 folds");
        }
        var positives = labels.Count(label => label);
        var smallest = Math.Min(positives, labels.Count - positives);
        if (smallest < folds)
        {
            throw new ArgumentException(
                $"{folds} folds need at least {folds} rows of each class; the smaller class has {smallest}");
        }

        var random = new Random(seed);
        var assignment = new int[labels.Count];
        var next = 0;
        foreach (var label in new[] { false, true })
        {
            var members = Enumerable.Range(0, labels.Count).Where(i => labels[i] == label).ToArray();
            random.Shuffle(members);
            foreach (var row in members)
            {
                // Carrying the position across classes keeps the folds' total sizes within one of each other.
                assignment[row] = next;
                next = (next + 1) % folds;
            }
        }
        return assignment;
    }
}
