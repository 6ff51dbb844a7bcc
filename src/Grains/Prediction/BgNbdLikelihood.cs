using MathNet.Numerics;

namespace CustomerGrains.Grains.Prediction;

/// <summary>
/// The BG/NBD log-likelihood of a population and its gradient, arranged so that one evaluation is cheap (the optimiser
/// makes dozens). Customer i contributes (FHL 2005 eq. 6, see <see cref="BgNbdParameters.LogLikelihood"/>)
/// <code>
/// ln Γ(r+x) − ln Γ(r) + r ln α + ln Γ(a+b) + ln Γ(b+x) − ln Γ(b) − ln Γ(a+b+x) − (r+x) ln(α+T) + δ(x&gt;0) softplus(u)
/// u = ln a − ln(b+x−1) + (r+x)(ln(α+T) − ln(α+tx))
/// </code>
/// Summed over the population, every term but the last depends on x alone or on T alone, so those are summed once
/// per distinct x and once per distinct T. Only softplus(u) needs (x, tx, T) together: repeat buyers with the same
/// triple are one weighted group, and the logarithms of α+tx and α+T are taken once per distinct value.
/// </summary>
internal sealed class BgNbdLikelihood
{
    private readonly double[] _x;          // distinct x
    private readonly double[] _xWeight;    // customers with that x
    private readonly double[] _t;          // distinct T
    private readonly double[] _tWeight;    // customers with that T
    private readonly double[] _tSumX;      // Σ x of the customers with that T
    private readonly double[] _tx;         // distinct tx of repeat buyers
    private readonly Group[] _groups;      // repeat buyers by (x, tx, T)

    // Scratch, reused by every evaluation (an instance serves one fit, on one thread).
    private readonly double[] _logAlphaT;
    private readonly double[] _inverseAlphaT;
    private readonly double[] _logAlphaTx;
    private readonly double[] _inverseAlphaTx;
    private readonly double[] _logOddsOffset;
    private readonly double[] _deathWeight;

    private BgNbdLikelihood(double[] x, double[] xWeight, double[] t, double[] tWeight, double[] tSumX, double[] tx, Group[] groups, int customers, int repeatBuyers, double sumX, double sumT)
    {
        (_x, _xWeight, _t, _tWeight, _tSumX, _tx, _groups) = (x, xWeight, t, tWeight, tSumX, tx, groups);
        (Customers, RepeatBuyers, SumX, SumT) = (customers, repeatBuyers, sumX, sumT);
        _logAlphaT = new double[t.Length];
        _inverseAlphaT = new double[t.Length];
        _logAlphaTx = new double[tx.Length];
        _inverseAlphaTx = new double[tx.Length];
        _logOddsOffset = new double[x.Length];
        _deathWeight = new double[x.Length];
    }

    public int Customers { get; }

    public int RepeatBuyers { get; }

    /// <summary>Distinct (x, tx, T) among the repeat buyers: the work of one evaluation.</summary>
    public int Groups => _groups.Length;

    public double SumX { get; }

    public double SumT { get; }

    /// <exception cref="ArgumentException">A summary is not a possible history (negative x, tx outside [0, T], not finite).</exception>
    public static BgNbdLikelihood Of(IReadOnlyList<RepeatSummary> customers)
    {
        var (xIndex, x, xWeight) = (new Dictionary<int, int>(), new List<double>(), new List<double>());
        var (tIndex, t, tWeight, tSumX) = (new Dictionary<double, int>(), new List<double>(), new List<double>(), new List<double>());
        var (txIndex, tx) = (new Dictionary<double, int>(), new List<double>());
        var (groupIndex, groups) = (new Dictionary<(int X, int Tx, int T), int>(), new List<Group>());
        var (repeatBuyers, sumX, sumT) = (0, 0.0, 0.0);
        for (var i = 0; i < customers.Count; i++)
        {
            var c = customers[i];
            if (c.X < 0 || !double.IsFinite(c.T) || !(c.Tx >= 0 && c.Tx <= c.T))
            {
                throw new ArgumentException($"Customer {i} is not a possible history: x = {c.X}, tx = {c.Tx}, T = {c.T}.", nameof(customers));
            }

            if (!xIndex.TryGetValue(c.X, out var xi))
            {
                xi = x.Count;
                xIndex.Add(c.X, xi);
                x.Add(c.X);
                xWeight.Add(0);
            }

            if (!tIndex.TryGetValue(c.T, out var ti))
            {
                ti = t.Count;
                tIndex.Add(c.T, ti);
                t.Add(c.T);
                tWeight.Add(0);
                tSumX.Add(0);
            }

            xWeight[xi]++;
            tWeight[ti]++;
            tSumX[ti] += c.X;
            sumX += c.X;
            sumT += c.T;
            if (c.X == 0)
            {
                continue;
            }

            repeatBuyers++;
            if (!txIndex.TryGetValue(c.Tx, out var txi))
            {
                txi = tx.Count;
                txIndex.Add(c.Tx, txi);
                tx.Add(c.Tx);
            }

            if (groupIndex.TryGetValue((xi, txi, ti), out var gi))
            {
                groups[gi] = groups[gi] with { Weight = groups[gi].Weight + 1 };
            }
            else
            {
                groupIndex.Add((xi, txi, ti), groups.Count);
                groups.Add(new Group(xi, txi, ti, 1));
            }
        }

        return new BgNbdLikelihood([.. x], [.. xWeight], [.. t], [.. tWeight], [.. tSumX], [.. tx], [.. groups], customers.Count, repeatBuyers, sumX, sumT);
    }

    /// <summary>The population's log-likelihood at (r, α, a, b), and in <paramref name="gradient"/> its derivatives by r, α, a, b.</summary>
    public double Evaluate(double r, double alpha, double a, double b, Span<double> gradient)
    {
        double n = Customers;
        var lnGammaR = SpecialFunctions.GammaLn(r);
        var lnGammaAB = SpecialFunctions.GammaLn(a + b);
        var lnGammaB = SpecialFunctions.GammaLn(b);
        var psiR = SpecialFunctions.DiGamma(r);
        var psiAB = SpecialFunctions.DiGamma(a + b);
        var psiB = SpecialFunctions.DiGamma(b);
        var logA = Math.Log(a);

        // r ln α for everyone; the Γ terms vanish at x = 0, so only the repeat buyers' x count.
        var ll = n * r * Math.Log(alpha);
        var (dr, dAlpha, da, db) = (n * Math.Log(alpha), n * r / alpha, 0.0, 0.0);
        for (var k = 0; k < _x.Length; k++)
        {
            var x = _x[k];
            if (x == 0)
            {
                continue;
            }

            var w = _xWeight[k];
            ll += w * (SpecialFunctions.GammaLn(r + x) - lnGammaR + lnGammaAB + SpecialFunctions.GammaLn(b + x) - lnGammaB - SpecialFunctions.GammaLn(a + b + x));
            var psiABX = SpecialFunctions.DiGamma(a + b + x);
            dr += w * (SpecialFunctions.DiGamma(r + x) - psiR);
            da += w * (psiAB - psiABX);
            db += w * (psiAB + SpecialFunctions.DiGamma(b + x) - psiB - psiABX);
            _logOddsOffset[k] = logA - Math.Log(b + x - 1);
            _deathWeight[k] = 0;
        }

        // −(r+x) ln(α+T), summed per distinct T.
        for (var j = 0; j < _t.Length; j++)
        {
            var logAlphaT = Math.Log(alpha + _t[j]);
            var inverse = 1 / (alpha + _t[j]);
            _logAlphaT[j] = logAlphaT;
            _inverseAlphaT[j] = inverse;
            var weightedRX = (r * _tWeight[j]) + _tSumX[j];
            ll -= weightedRX * logAlphaT;
            dr -= _tWeight[j] * logAlphaT;
            dAlpha -= weightedRX * inverse;
        }

        for (var i = 0; i < _tx.Length; i++)
        {
            _logAlphaTx[i] = Math.Log(alpha + _tx[i]);
            _inverseAlphaTx[i] = 1 / (alpha + _tx[i]);
        }

        // The repeat buyers' softplus(u), with u = ln a − ln(b+x−1) + (r+x)·D, D = ln(α+T) − ln(α+tx) ≥ 0.
        var (softplusSum, drSum, dAlphaSum) = (0.0, 0.0, 0.0);
        foreach (var g in _groups)
        {
            var rx = r + _x[g.X];
            var d = _logAlphaT[g.T] - _logAlphaTx[g.Tx];
            var softplus = Softplus.Of(_logOddsOffset[g.X] + (rx * d), out var sigma);
            var ws = g.Weight * sigma;
            softplusSum += g.Weight * softplus;
            drSum += ws * d;
            dAlphaSum += ws * rx * (_inverseAlphaT[g.T] - _inverseAlphaTx[g.Tx]);
            _deathWeight[g.X] += ws;
        }

        ll += softplusSum;
        dr += drSum;
        dAlpha += dAlphaSum;
        for (var k = 0; k < _x.Length; k++)
        {
            if (_x[k] > 0)
            {
                da += _deathWeight[k] / a;
                db -= _deathWeight[k] / (b + _x[k] - 1);
            }
        }

        gradient[0] = dr;
        gradient[1] = dAlpha;
        gradient[2] = da;
        gradient[3] = db;
        return ll;
    }

    private readonly record struct Group(int X, int Tx, int T, double Weight);
}
