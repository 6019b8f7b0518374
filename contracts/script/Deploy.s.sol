// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Script} from "../test/utils/Script.sol";
import {CuriaChallenges} from "../src/CuriaChallenges.sol";
import {CuriaConfig} from "../src/CuriaConfig.sol";
import {CuriaCuration} from "../src/CuriaCuration.sol";
import {CuriaRegistry} from "../src/CuriaRegistry.sol";
import {ICuriaConfig} from "../src/interfaces/ICuriaConfig.sol";
import {ICuriaRegistry} from "../src/interfaces/ICuriaRegistry.sol";
import {ICuriaCuration} from "../src/interfaces/ICuriaCuration.sol";
import {TestToken} from "../src/test/TestToken.sol";

/// @title Deploy
/// @notice Deploys Curia (and, unless CURIA_TOKEN is set, a mintable TestToken) and writes the addresses and the
///         deployment block to a JSON file that the SDK, indexer, keeper and CLI read.
/// @dev Environment (all optional): CURIA_DEPLOYMENT (output path, default deployments/local.json), CURIA_TOKEN,
///      CURIA_OWNER and CURIA_ARBITRATOR (default: the broadcaster), and any default term, e.g.
///      CURIA_RESPONSE_WINDOW=120 for a devnet. See docs/protocol.md for every term and its bounds.
///      Run: forge script contracts/script/Deploy.s.sol --rpc-url $ETH_RPC_URL --private-key $KEY --broadcast
contract Deploy is Script {
    /// @notice The deployed addresses.
    struct Deployment {
        address token;
        address config;
        address registry;
        address curation;
        address challenges;
        uint256 deploymentBlock;
    }

    /// @notice The default terms, each overridable by an environment variable.
    function defaultTerms(address arbitrator) public view returns (ICuriaConfig.Terms memory t) {
        t.minPublisherBond = uint96(vm.envOr("CURIA_MIN_PUBLISHER_BOND", uint256(100e18)));
        t.minChallengeBond = uint96(vm.envOr("CURIA_MIN_CHALLENGE_BOND", uint256(10e18)));
        t.thawPeriod = uint32(vm.envOr("CURIA_THAW_PERIOD", uint256(7 days)));
        t.responseWindow = uint32(vm.envOr("CURIA_RESPONSE_WINDOW", uint256(1 days)));
        t.rulingWindow = uint32(vm.envOr("CURIA_RULING_WINDOW", uint256(3 days)));
        t.revealWindow = uint32(vm.envOr("CURIA_REVEAL_WINDOW", uint256(1 days)));
        t.curationTaxBps = uint16(vm.envOr("CURIA_CURATION_TAX_BPS", uint256(100)));
        t.rewardPublisherBps = uint16(vm.envOr("CURIA_REWARD_PUBLISHER_BPS", uint256(1_000)));
        t.challengeBondBps = uint16(vm.envOr("CURIA_CHALLENGE_BOND_BPS", uint256(500)));
        t.curatorSlashBps = uint16(vm.envOr("CURIA_CURATOR_SLASH_BPS", uint256(5_000)));
        t.challengerRewardBps = uint16(vm.envOr("CURIA_CHALLENGER_REWARD_BPS", uint256(5_000)));
        t.keeperBountyBps = uint16(vm.envOr("CURIA_KEEPER_BOUNTY_BPS", uint256(100)));
        t.responderRewardBps = uint16(vm.envOr("CURIA_RESPONDER_REWARD_BPS", uint256(5_000)));
        t.loserBurnBps = uint16(vm.envOr("CURIA_LOSER_BURN_BPS", uint256(1_000)));
        t.maxChallengeChunks = uint8(vm.envOr("CURIA_MAX_CHALLENGE_CHUNKS", uint256(16)));
        t.arbitrator = arbitrator;
    }

    /// @notice Deploys with the broadcaster given by forge (--private-key / --account) and writes the JSON file.
    function run() external returns (Deployment memory d) {
        // With a single --private-key, forge makes its address the script's msg.sender and broadcaster.
        address broadcaster = msg.sender;
        vm.startBroadcast();
        d = deploy(
            vm.envOr("CURIA_TOKEN", address(0)),
            vm.envOr("CURIA_OWNER", broadcaster),
            vm.envOr("CURIA_ARBITRATOR", broadcaster),
            broadcaster
        );
        vm.stopBroadcast();
        _write(d, vm.envOr("CURIA_DEPLOYMENT", string("deployments/local.json")));
    }

    /// @notice Deploys and wires the protocol. `deployer` owns the config while wiring; ownership then goes to
    ///         `owner` (two steps when they differ: `owner` must accept).
    function deploy(address tokenAddr, address owner, address arbitrator, address deployer)
        public
        returns (Deployment memory d)
    {
        d.deploymentBlock = block.number;
        if (tokenAddr == address(0)) tokenAddr = address(new TestToken("Curia Test Token", "CURIA"));
        d.token = tokenAddr;
        CuriaConfig config = new CuriaConfig(deployer, defaultTerms(arbitrator));
        CuriaRegistry registry = new CuriaRegistry(IERC20(tokenAddr), config);
        CuriaCuration curation = new CuriaCuration(IERC20(tokenAddr), config, ICuriaRegistry(address(registry)));
        CuriaChallenges challenges = new CuriaChallenges(
            IERC20(tokenAddr), config, ICuriaRegistry(address(registry)), ICuriaCuration(address(curation))
        );
        config.wire(address(registry), address(curation), address(challenges));
        if (owner != deployer) config.transferOwnership(owner);
        d.config = address(config);
        d.registry = address(registry);
        d.curation = address(curation);
        d.challenges = address(challenges);
    }

    function _write(Deployment memory d, string memory path) internal {
        string memory o = "deployment";
        vm.serializeUint(o, "chainId", block.chainid);
        vm.serializeUint(o, "deploymentBlock", d.deploymentBlock);
        vm.serializeAddress(o, "token", d.token);
        vm.serializeAddress(o, "config", d.config);
        vm.serializeAddress(o, "registry", d.registry);
        vm.serializeAddress(o, "curation", d.curation);
        string memory json = vm.serializeAddress(o, "challenges", d.challenges);
        vm.writeJson(json, path);
    }
}
