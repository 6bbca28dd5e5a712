"""What the recorded cases cannot show: varscope's own errors for what TF only warns about or leaves to its
kernels, the installed ``tensorflow.nn`` paths, and TF's gradients at the kinks of ``relu`` / ``relu6``."""

from __future__ import annotations

import numpy as np
import pytest

import varscope
from varscope.compat import v1 as tf

IMG = np.ones((1, 5, 5, 2), np.float32)


@pytest.fixture(autouse=True)
def _graph():
    from varscope._shape import v1_tensorshape

    with v1_tensorshape(), varscope.Graph().as_default():
        yield


def test_strides_in_the_batch_or_depth_dimension_are_refused():
    with pytest.raises(ValueError, match="strides in the batch and depth dimensions must be 1"):
        tf.nn.conv2d(IMG, np.ones((1, 1, 2, 2), np.float32), [2, 1, 1, 1], "SAME")
    with pytest.raises(ValueError, match="ksize in the batch and depth dimensions must be 1"):
        tf.nn.max_pool(IMG, [1, 2, 2, 2], 1, "SAME")
    with pytest.raises(ValueError, match="strides should be of length 1, 2 or 4 but was 3"):
        tf.nn.avg_pool(IMG, 2, [1, 2, 2], "SAME")


def test_depthwise_rate_with_stride_is_refused():
    # TF only warns, and computes a result of another shape than the SAME padding promises
    with pytest.raises(ValueError, match="When dilation rate is greater than 1, then all values of strides must be 1"):
        tf.nn.depthwise_conv2d(IMG, np.ones((2, 2, 2, 1), np.float32), [1, 2, 2, 1], "SAME", rate=[2, 2])


def test_bad_padding_and_data_format():
    k = np.ones((2, 2, 2, 3), np.float32)
    with pytest.raises(ValueError, match="padding must be 'SAME', 'VALID' or a list"):
        tf.nn.conv2d(IMG, k, 1, "FULL")
    with pytest.raises(ValueError, match="explicit padding in the batch and depth dimensions must be 0"):
        tf.nn.conv2d(IMG, k, 1, [[1, 1], [0, 0], [0, 0], [0, 0]])
    with pytest.raises(ValueError, match="data_format must be NHWC or NCHW"):
        tf.nn.conv2d(IMG, k, 1, "SAME", data_format="HWCN")
    with pytest.raises(ValueError, match="takes padding 'SAME' or 'VALID'"):
        tf.nn.max_pool(IMG, 2, 2, [[0, 0], [1, 1], [1, 1], [0, 0]])


def test_grouped_convolution_is_refused_with_the_fix():
    with pytest.raises(ValueError, match="use depthwise_conv2d"):
        tf.nn.conv2d(np.ones((1, 5, 5, 4), np.float32), np.ones((2, 2, 2, 3), np.float32), 1, "SAME")


def test_conv2d_transpose_shape_mismatch_is_tfs_run_error():
    from varscope.compat.errors import InvalidArgumentError

    # (TF raises it when the graph runs; TF's wording, recorded for the channel case in nn_cases.py)
    with pytest.raises(InvalidArgumentError, match=r"^Conv2DCustomBackpropInput: Size of out_backprop doesn't match "
                                                   r"computed: actual = 3, computed = 4 spatial_dim: 1 input: 7"):
        tf.nn.conv2d_transpose(np.ones((1, 3, 3, 2), np.float32), np.ones((3, 3, 4, 2), np.float32),
                               [1, 7, 7, 4], 2, "SAME")
    with pytest.raises(InvalidArgumentError, match=r"value has shape \[1, 4, 4, 3\]"):
        tf.nn.conv2d_transpose(np.ones((1, 4, 4, 3), np.float32), np.ones((3, 3, 4, 2), np.float32),
                               [1, 7, 7, 4], 2, "SAME")


def test_installed_tensorflow_has_nn_and_random():
    import varscope.compat

    with varscope.compat.install_as_tensorflow():
        import tensorflow
        from tensorflow.python.ops import nn_ops, random_ops

        assert tensorflow.nn.relu is tf.nn.relu and tensorflow.random.normal is tf.random_normal
        assert nn_ops.conv2d is tf.nn.conv2d and random_ops.truncated_normal is tf.truncated_normal
