using Microsoft.ML.Trainers.FastTree;

namespace CreditRisk.Modeling.Explanations;

/// <summary>
/// A FastTree or LightGBM ensemble's trees in flat arrays, for the path contributions ML.NET's calculator defines: at
/// each split on a row's path, the split's feature gets the value of the row's leaf minus the value of the leaf the row
/// would reach going the other way there; summed over the trees. Only numeric splits are walked here (the feature
/// pipeline one-hot encodes categories and imputes missing values, so no NaN reaches a tree).
/// </summary>
internal sealed class TreePaths
{
    private readonly Tree[] _trees;

    private TreePaths(Tree[] trees) => _trees = trees;

    /// <summary>The ensemble of <paramref name="model"/>, or null when it is not one of numeric splits only.</summary>
    public static TreePaths? For(object model)
    {
        if (model is not TreeEnsembleModelParametersBasedOnRegressionTree ensemble)
        {
            return null;
        }
        var trees = new List<Tree>();
        foreach (var tree in ensemble.TrainedTreeEnsemble.Trees)
        {
            if (tree.CategoricalSplitFlags.Any(categorical => categorical))
            {
                return null;
            }
            if (tree.LeftChild.Count > 0 && tree.LeftChild[0] != 0)
            {
                var nodes = Enumerable.Range(0, tree.NumberOfNodes)
                    .Select(node => new Node(tree.NumericalSplitFeatureIndexes[node], tree.NumericalSplitThresholds[node], tree.LeftChild[node], tree.RightChild[node]));
                trees.Add(new Tree([.. nodes], [.. tree.LeafValues]));
            }
        }
        return new TreePaths([.. trees]);
    }

    /// <summary>Adds each split feature's contribution for <paramref name="features"/> to the sum of its input.</summary>
    public void AddContributions(ReadOnlySpan<float> features, int[] slotInputs, double[] sums)
    {
        foreach (var tree in _trees)
        {
            var nodes = tree.Nodes;
            var leaves = tree.Leaves;
            var output = leaves[LeafFrom(nodes, features, 0)];
            var index = 0;
            while (index >= 0)
            {
                ref readonly var node = ref nodes[index];
                int otherWay;
                if (features[node.Feature] <= node.Threshold)
                {
                    otherWay = node.Greater;
                    index = node.LessOrEqual;
                }
                else
                {
                    otherWay = node.LessOrEqual;
                    index = node.Greater;
                }
                // Rounded to float as ML.NET reports each tree's contribution.
                sums[slotInputs[node.Feature]] += (float)(output - leaves[LeafFrom(nodes, features, otherWay)]);
            }
        }
    }

    /// <summary>The leaf a row reaches from <paramref name="index"/> (a leaf itself when negative: its index complemented).</summary>
    private static int LeafFrom(Node[] nodes, ReadOnlySpan<float> features, int index)
    {
        while (index >= 0)
        {
            ref readonly var node = ref nodes[index];
            index = features[node.Feature] <= node.Threshold ? node.LessOrEqual : node.Greater;
        }
        return ~index;
    }

    private readonly record struct Node(int Feature, float Threshold, int LessOrEqual, int Greater);

    private sealed record Tree(Node[] Nodes, double[] Leaves);
}
