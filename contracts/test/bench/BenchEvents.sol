// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ICuriaConfig} from "../../src/interfaces/ICuriaConfig.sol";
import {ICuriaCuration} from "../../src/interfaces/ICuriaCuration.sol";
import {ICuriaRegistry} from "../../src/interfaces/ICuriaRegistry.sol";

/// @title BenchEvents
/// @notice The event generator of scripts/bench/indexer (not part of the protocol): one instance is one curator.
///         `setup` creates models and publishes versions from this contract (it is their publisher); `signal`
///         calls the real CuriaCuration.signal `n` times in one transaction, round robin over `versions`, so that
///         the protocol contracts themselves emit the events the indexer reads. Fund it with tokens first.
contract BenchEvents {
    ICuriaRegistry public immutable registry;
    ICuriaCuration public immutable curation;
    /// @notice The models `setup` created and the versions it published, in order.
    bytes32[] public modelIds;
    bytes32[] public versionIds;
    /// @notice Where the next `signal` continues the round robin.
    uint256 public cursor;

    /// @param registry_ The CuriaRegistry.
    /// @param curation_ The CuriaCuration.
    /// @param token The bond token, approved to both without limit.
    constructor(ICuriaRegistry registry_, ICuriaCuration curation_, IERC20 token) {
        registry = registry_;
        curation = curation_;
        token.approve(address(registry_), type(uint256).max);
        token.approve(address(curation_), type(uint256).max);
    }

    /// @notice Creates `models` models ("bench-<salt>-<i>") with `perModel` versions each, at the minimum bond.
    function setup(uint256 models, uint256 perModel, uint256 salt, ICuriaConfig config) external {
        uint256 bond = config.currentTerms().minPublisherBond;
        string[] memory locations = new string[](1);
        locations[0] = "https://example.org/bench";
        for (uint256 m; m < models; ++m) {
            bytes32 modelId = registry.createModel(_name(salt, m), "ipfs://bench-model-card");
            modelIds.push(modelId);
            bytes32 parent;
            for (uint256 v; v < perModel; ++v) {
                ICuriaRegistry.PublishParams memory p = ICuriaRegistry.PublishParams({
                    modelId: modelId,
                    contentRoot: keccak256(abi.encode("bench-root", address(this), salt, m, v)),
                    manifestDigest: keccak256(abi.encode("bench-manifest", address(this), salt, m, v)),
                    numChunks: uint64(1000 + v),
                    totalBytes: uint64((1000 + v) * 4096),
                    locations: locations,
                    parent: parent,
                    metadataURI: "ipfs://bench-version",
                    bond: bond
                });
                parent = registry.publish(p);
                versionIds.push(parent);
            }
        }
    }

    /// @notice Signals `amount` tokens `n` times, round robin over `versions` (one Signalled event each).
    function signal(bytes32[] calldata versions, uint256 n, uint256 amount) external {
        uint256 len = versions.length;
        uint256 c = cursor;
        for (uint256 i; i < n; ++i) {
            curation.signal(versions[(c + i) % len], amount, 0);
        }
        cursor = c + n;
    }

    /// @notice How many versions `setup` published.
    function versionCount() external view returns (uint256) {
        return versionIds.length;
    }

    function _name(uint256 salt, uint256 m) internal pure returns (string memory) {
        return string.concat("bench-", _itoa(salt), "-", _itoa(m));
    }

    function _itoa(uint256 x) internal pure returns (string memory s) {
        if (x == 0) return "0";
        uint256 len;
        for (uint256 y = x; y != 0; y /= 10) {
            ++len;
        }
        bytes memory b = new bytes(len);
        for (; x != 0; x /= 10) {
            b[--len] = bytes1(uint8(48 + (x % 10)));
        }
        s = string(b);
    }
}
