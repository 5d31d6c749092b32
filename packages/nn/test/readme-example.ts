// The example of ../README.md ("Ten lines"), line for line: readme.test.ts keeps the two equal.
import { figure53Data, rPropagation, train, twoLayerNet } from '@dualtape/nn';

// PRML Figure 5.3: a 1-3-1 tanh network fitted to 50 samples of x² by Newton-CG with exact H·v.
const [{ X, T }] = figure53Data(50, 1);
const net = twoLayerNet({ inputs: 1, hidden: 3, outputs: 1, activation: 'tanh', output: 'linear' });
const fit = train(net, net.init(1), X, T, { method: 'newton-cg' });

// The engine's H·v at the fit, along any direction, against the hand-derived R-propagation (5.98–5.111).
const v = net.init(2);
console.log(fit.loss, net.gradAndHvp(fit.params, X, T, v).hvp, rPropagation(net.spec, fit.params, X, T, v).hvp);
