using CreditRisk.Contracts.Scoring.V1;
using CreditRisk.Scoring.Features;
using CreditRisk.Scoring.Models;

namespace CreditRisk.Scoring.Shadow;

/// <summary>A served request for the shadow arm to score too: the request, the served arm's vector and the experiment revision.</summary>
public sealed record ShadowWork(ScoreRequest Request, ArmModel Shadow, ArmModel Served, AssembledFeatures ServedFeatures, long Revision, string TraceId);
