# pragma version ~=0.4.3
# Test double: a flash-swap callee that repays a configured amount, or tries to re-enter the pair.

from ethereum.ercs import IERC20


interface IPair:
    def token0() -> address: view
    def token1() -> address: view
    def swap(amount0Out: uint256, amount1Out: uint256, to: address, data: Bytes[1024]): nonpayable
    def sync(): nonpayable
    def skim(to: address): nonpayable
    def mint(to: address) -> uint256: nonpayable


MODE_REPAY: constant(uint256) = 0
MODE_REENTER_SYNC: constant(uint256) = 1
MODE_REENTER_SKIM: constant(uint256) = 2
MODE_REENTER_MINT: constant(uint256) = 3

mode: public(uint256)
repay0: public(uint256)
repay1: public(uint256)
calls: public(uint256)
last_sender: public(address)
last_amount0: public(uint256)
last_amount1: public(uint256)
last_data: public(Bytes[1024])


@external
def plan(mode: uint256, repay0: uint256, repay1: uint256):
    self.mode = mode
    self.repay0 = repay0
    self.repay1 = repay1


@external
def borrow(pair: address, amount0: uint256, amount1: uint256, data: Bytes[1024]):
    extcall IPair(pair).swap(amount0, amount1, self, data)


@external
def uniswapV2Call(sender: address, amount0: uint256, amount1: uint256, data: Bytes[1024]):
    self.calls += 1
    self.last_sender = sender
    self.last_amount0 = amount0
    self.last_amount1 = amount1
    self.last_data = data
    if self.mode == MODE_REENTER_SYNC:
        extcall IPair(msg.sender).sync()
    elif self.mode == MODE_REENTER_SKIM:
        extcall IPair(msg.sender).skim(self)
    elif self.mode == MODE_REENTER_MINT:
        extcall IPair(msg.sender).mint(self)
    if self.repay0 > 0:
        extcall IERC20(staticcall IPair(msg.sender).token0()).transfer(msg.sender, self.repay0)
    if self.repay1 > 0:
        extcall IERC20(staticcall IPair(msg.sender).token1()).transfer(msg.sender, self.repay1)
