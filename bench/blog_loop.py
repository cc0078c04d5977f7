"""The blog's own training loop, as plain NumPy: the speed reference for `netviz train`."""

from numpy import array, dot, exp, random

random.seed(1)
w1 = 2 * random.random((3, 4)) - 1
w2 = 2 * random.random((4, 1)) - 1
x = array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [0, 1, 0], [1, 0, 0], [1, 1, 1], [0, 0, 0]])
y = array([[0, 1, 1, 1, 1, 0, 0]]).T

for _ in range(60000):
    out1 = 1 / (1 + exp(-dot(x, w1)))
    out2 = 1 / (1 + exp(-dot(out1, w2)))
    delta2 = (y - out2) * (out2 * (1 - out2))
    delta1 = delta2.dot(w2.T) * (out1 * (1 - out1))
    w1 += x.T.dot(delta1)
    w2 += out1.T.dot(delta2)

print(1 / (1 + exp(-dot(1 / (1 + exp(-dot(array([1, 1, 0]), w1))), w2))))
